MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (d:Disease {key: $disease_key})
SET d.record_hash = $record_hash, d.hash_generated_at = $at,
  d.hash_generated_by = $generated_by, d.hash_seq = $seq, d.seq = $seq
RETURN d.key AS id
