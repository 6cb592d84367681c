MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
CREATE (s:Stage:Surgery {
  id: $stage_id, stage: 'SURGERY', patient_id: $patient_id, at: $at,
  procedure_system: $procedure_system, procedure_code: $procedure_code,
  procedure_display: $procedure_display, procedure_status: $procedure_status,
  other_codings: $other_codings, encounter_id: $encounter_id, reasons: $reasons,
  fhir_id: $fhir_id, fhir_resource: $resource, recorded_by: $imported_by, seq: $seq
})
CREATE (p)-[:HAS_STAGE]->(s)
FOREACH (ph IN $phases |
  CREATE (s)-[:HAS_PHASE]->(:SurgeryPhase {
    id: ph.id, phase: ph.phase, at: ph.at, asa_class: ph.asa_class,
    consent_signed: ph.consent_signed, risk: ph.risk, procedure_code: ph.procedure_code,
    procedure_display: ph.procedure_display, anaesthesia: ph.anaesthesia,
    started_at: ph.started_at, ended_at: ph.ended_at, team: ph.team,
    complications: ph.complications, recovery: ph.recovery, disposition: ph.disposition,
    notes: ph.notes, patient_id: $patient_id, seq: $seq
  })
)
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
