MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
MERGE (c:Consent {id: $patient_id + '|' + $purpose + '|' + coalesce($recipient_id, '')})
ON CREATE SET c.patient_id = $patient_id, c.purpose = $purpose,
  c.recipient_id = $recipient_id, c.created_seq = $seq
SET c.status = CASE WHEN $granted THEN 'GRANTED' ELSE 'REVOKED' END,
  c.changed_by = $changed_by, c.at = $at, c.seq = $seq
FOREACH (_ IN CASE WHEN $purpose = 'TREATMENT' THEN [1] ELSE [] END |
  SET p.treatment_consent = c.status, p.seq = $seq
)
RETURN c.id AS id
