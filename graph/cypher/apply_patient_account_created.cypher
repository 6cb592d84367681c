MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
MATCH (i:Invitation {id: $invitation_id})
SET i.used_at = $at, i.used_by = $user_id, i.seq = $seq
CREATE (u:User {
  id: $user_id, username: $username, password_hash: $password_hash, role: 'PATIENT',
  status: 'ACTIVE', display_name: $display_name, registered_at: $at,
  patient_id: $patient_id, created_seq: $seq, seq: $seq
})-[:IS_PATIENT]->(p)
RETURN u.id AS id
