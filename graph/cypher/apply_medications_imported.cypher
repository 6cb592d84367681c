MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
FOREACH (row IN $medications |
  MERGE (m:Medication {key: row.system + '|' + row.code})
  ON CREATE SET m.created_seq = $seq
  SET m.system = row.system, m.code = row.code, m.name = row.name, m.seq = $seq
  FOREACH (treated IN row.treats |
    MERGE (d:Disease {key: treated})
    ON CREATE SET d.system = split(treated, '|')[0], d.code = split(treated, '|')[1],
      d.display = '', d.created_seq = $seq
    SET d.seq = $seq
    MERGE (m)-[t:TREATS]->(d)
    SET t.source = $source, t.seq = $seq))
FOREACH (row IN $interactions |
  MERGE (a:Medication {key: row.first})
  ON CREATE SET a.system = split(row.first, '|')[0], a.code = split(row.first, '|')[1],
    a.name = '', a.created_seq = $seq
  MERGE (b:Medication {key: row.second})
  ON CREATE SET b.system = split(row.second, '|')[0], b.code = split(row.second, '|')[1],
    b.name = '', b.created_seq = $seq
  SET a.seq = $seq, b.seq = $seq
  MERGE (a)-[r:INTERACTS_WITH]->(b)
  SET r.severity = row.severity, r.description = row.description, r.source = $source,
    r.seq = $seq)
RETURN cursor.seq AS seq
