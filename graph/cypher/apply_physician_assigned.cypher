MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
MATCH (doctor:Physician {id: $physician_id})
MERGE (doctor)-[r:CARES_FOR]->(p)
SET r.assigned_at = $at, r.assigned_by = $assigned_by, r.seq = $seq, p.seq = $seq
RETURN p.id AS id
