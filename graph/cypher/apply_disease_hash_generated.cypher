MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MERGE (d:Disease {key: $disease_key})
ON CREATE SET d.system = $system, d.code = $code, d.display = $display, d.created_seq = $seq
WITH d
OPTIONAL MATCH (parent:Disease {key: $system + '|' + coalesce($parent_code, '')})
FOREACH (_ IN CASE WHEN parent IS NULL THEN [] ELSE [1] END | MERGE (d)-[:IS_A]->(parent))
SET d.record_hash = $record_hash, d.hash_generated_at = $at,
  d.hash_generated_by = $generated_by, d.hash_seq = $seq, d.seq = $seq
RETURN d.key AS id
