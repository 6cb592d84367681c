MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
CREATE (s:Stage:Admission {
  id: $stage_id, stage: 'ADMISSION', patient_id: $patient_id, at: $at, ended_at: $ended_at,
  arrival_mode: $arrival_mode, chief_complaint: $chief_complaint, triage_level: $triage_level,
  allergies: [], current_medications: [], encounter_class: $encounter_class,
  encounter_status: $encounter_status, types: $types, reason_codings: $reason_codings,
  fhir_id: $fhir_id, fhir_resource: $resource, recorded_by: $imported_by, seq: $seq
})
CREATE (p)-[:HAS_STAGE]->(s)
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
SET p.last_stage_id = CASE WHEN after IS NULL THEN s.id ELSE p.last_stage_id END,
  p.admitted_at = CASE WHEN coalesce(p.status, '') <> 'ADMITTED'
    AND (p.admitted_at IS NULL OR p.admitted_at < $at) THEN $at ELSE p.admitted_at END,
  p.discharged_at = CASE WHEN coalesce(p.status, '') <> 'ADMITTED' AND $ended_at IS NOT NULL
    AND (p.discharged_at IS NULL OR p.discharged_at < $ended_at) THEN $ended_at
    ELSE p.discharged_at END,
  p.seq = $seq
RETURN s.id AS id
