MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
CREATE (i:Invitation {
  id: $invitation_id, patient_id: $patient_id, code_hash: $code_hash,
  invited_by: $invited_by, at: $at, expires_at: $expires_at, seq: $seq
})-[:FOR]->(p)
RETURN i.id AS id
