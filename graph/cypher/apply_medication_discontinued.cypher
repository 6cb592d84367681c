MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})-[:HAS_TRANSACTION]->(rx:MedicationTransaction {id: $prescription_id})
SET rx.status = 'STOPPED', rx.discontinued_at = $at, rx.discontinued_by = $discontinued_by,
  rx.discontinue_reason = $reason, rx.seq = $seq, p.seq = $seq
RETURN rx.id AS id
