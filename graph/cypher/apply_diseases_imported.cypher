MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
UNWIND $rows AS row
MERGE (d:Disease {key: row.system + '|' + row.code})
ON CREATE SET d.created_seq = $seq
SET d.system = row.system, d.code = row.code, d.display = row.display, d.seq = $seq
WITH d, row
OPTIONAL MATCH (parent:Disease {key: row.system + '|' + coalesce(row.parent, '')})
FOREACH (_ IN CASE WHEN parent IS NULL THEN [] ELSE [1] END | MERGE (d)-[:IS_A]->(parent))
RETURN count(d) AS count
