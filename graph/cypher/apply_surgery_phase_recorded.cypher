MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})-[:HAS_STAGE]->(s:Surgery {id: $stage_id})
WITH p, s, $phase AS ph
CREATE (s)-[:HAS_PHASE]->(:SurgeryPhase {
    id: ph.id, phase: ph.phase, at: ph.at, asa_class: ph.asa_class,
    consent_signed: ph.consent_signed, risk: ph.risk, procedure_code: ph.procedure_code,
    procedure_display: ph.procedure_display, anaesthesia: ph.anaesthesia,
    started_at: ph.started_at, ended_at: ph.ended_at, team: ph.team,
    complications: ph.complications, recovery: ph.recovery, disposition: ph.disposition,
    notes: ph.notes, patient_id: $patient_id, seq: $seq
})
SET p.seq = $seq, s.seq = $seq
RETURN s.id AS id
