MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
OPTIONAL MATCH (last:Stage {id: coalesce(p.last_stage_id, '')})
CREATE (s:Stage:Diagnosis {
  id: $stage_id, stage: 'DIAGNOSIS', patient_id: $patient_id, at: $at,
  symptoms: $symptoms, findings: $findings, recorded_by: $physician_id, seq: $seq
})
CREATE (p)-[:HAS_STAGE]->(s)
FOREACH (_ IN CASE WHEN last IS NULL THEN [] ELSE [1] END | CREATE (last)-[:NEXT]->(s))
SET p.last_stage_id = $stage_id, p.seq = $seq
FOREACH (d IN $diseases |
  MERGE (disease:Disease {key: d.system + '|' + d.code})
  ON CREATE SET disease.system = d.system, disease.code = d.code, disease.display = d.display,
    disease.created_seq = $seq
  CREATE (s)-[:DIAGNOSED_AS]->(disease)
)
FOREACH (o IN $observations |
  CREATE (s)-[:HAS_OBSERVATION]->(:Observation {
    id: o.id, code: o.code, name: o.name, at: o.at, value: o.value, unit: o.unit,
    text: o.text, patient_id: $patient_id, seq: $seq
  })
)
WITH p, s
OPTIONAL MATCH (doctor:Physician {id: $physician_id})
FOREACH (_ IN CASE WHEN doctor IS NULL THEN [] ELSE [1] END |
  MERGE (doctor)-[:CARES_FOR]->(p)
)
RETURN s.id AS id
