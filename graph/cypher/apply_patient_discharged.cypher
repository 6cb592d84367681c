MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
SET p.status = 'DISCHARGED', p.discharged_at = $at, p.disposition = $disposition,
  p.discharge_summary = $summary, p.discharged_by = $discharged_by, p.seq = $seq
RETURN p.id AS id
