MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
OPTIONAL MATCH (last:Stage {id: coalesce(p.last_stage_id, '')})
CREATE (s:Stage:Surgery {
  id: $stage_id, stage: 'SURGERY', patient_id: $patient_id, at: $at,
  procedure_code: $procedure_code, procedure_display: $procedure_display,
  recorded_by: $physician_id, seq: $seq
})
CREATE (p)-[:HAS_STAGE]->(s)
FOREACH (_ IN CASE WHEN last IS NULL THEN [] ELSE [1] END | CREATE (last)-[:NEXT]->(s))
SET p.last_stage_id = $stage_id, p.seq = $seq
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
OPTIONAL MATCH (doctor:Physician {id: $physician_id})
FOREACH (_ IN CASE WHEN doctor IS NULL THEN [] ELSE [1] END |
  MERGE (doctor)-[:CARES_FOR]->(p)
)
RETURN s.id AS id
