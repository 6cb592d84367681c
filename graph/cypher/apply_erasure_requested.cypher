MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
MERGE (r:ErasureRequest {id: $patient_id + '|erasure'})
ON CREATE SET r.patient_id = $patient_id, r.created_seq = $seq
SET r.requested_by = $requested_by, r.at = $at, r.seq = $seq
RETURN r.id AS id
