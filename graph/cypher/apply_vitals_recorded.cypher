MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})-[:HAS_STAGE]->(s:Stage {id: $stage_id})
SET p.seq = $seq, s.seq = $seq
FOREACH (o IN $observations |
  CREATE (s)-[:HAS_OBSERVATION]->(:Observation {
    id: o.id, code: o.code, name: o.name, at: o.at, value: o.value, unit: o.unit,
    text: o.text, patient_id: $patient_id, seq: $seq
  })
)
RETURN s.id AS id
