MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
CREATE (s:Stage:Diagnosis {
  id: $stage_id, stage: 'DIAGNOSIS', patient_id: $patient_id, at: $at, symptoms: $symptoms,
  findings: $findings, disease_display: $disease_display, other_codings: $other_codings, clinical_status: $clinical_status,
  verification_status: $verification_status, category: $category, onset_at: $onset_at,
  abated_at: $abated_at, encounter_id: $encounter_id, fhir_id: $fhir_id, fhir_resource: $resource,
  recorded_by: $imported_by, seq: $seq
})
CREATE (p)-[:HAS_STAGE]->(s)
MERGE (disease:Disease {key: $disease.system + '|' + $disease.code})
ON CREATE SET disease.system = $disease.system, disease.code = $disease.code,
  disease.display = $disease.display, disease.created_seq = $seq
SET disease.codings = coalesce(disease.codings, [])
  + [c IN $other_codings WHERE NOT c IN coalesce(disease.codings, [])]
CREATE (s)-[:DIAGNOSED_AS]->(disease)
WITH p, s
OPTIONAL MATCH (p)-[:HAS_STAGE]->(before:Stage)
WHERE before.id <> s.id AND (before.at < s.at OR (before.at = s.at AND (before.stage < s.stage
  OR (before.stage = s.stage AND before.id < s.id))))
WITH p, s, before ORDER BY before.at DESC, before.stage DESC, before.id DESC LIMIT 1
OPTIONAL MATCH (before)-[old:NEXT]->(next:Stage)
OPTIONAL MATCH (p)-[:HAS_STAGE]->(head:Stage)
WHERE before IS NULL AND head.id <> s.id AND NOT ()-[:NEXT]->(head)
WITH p, s, before, old, coalesce(next, head) AS after LIMIT 1
DELETE old
FOREACH (_ IN CASE WHEN before IS NULL THEN [] ELSE [1] END | CREATE (before)-[:NEXT]->(s))
FOREACH (_ IN CASE WHEN after IS NULL THEN [] ELSE [1] END | CREATE (s)-[:NEXT]->(after))
SET p.last_stage_id = CASE WHEN after IS NULL THEN s.id ELSE p.last_stage_id END, p.seq = $seq
RETURN s.id AS id
