MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
FOREACH (shared IN $shared |
  MERGE (r:FhirResource {id: shared})
  ON CREATE SET r.shared = true, r.created_seq = $seq
  MERGE (p)-[:USES]->(r))
SET p.seq = $seq
RETURN p.id AS id
