MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (u:User {id: $user_id})
SET u.status = $status, u.status_changed_at = $at, u.seq = $seq
RETURN u.id AS id
