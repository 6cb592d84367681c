MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MERGE (p:Patient {id: $patient_id})
ON CREATE SET
  p.given_name = $given_name, p.family_name = $family_name, p.birth_date = $birth_date,
  p.sex = $sex, p.mrn = $mrn, p.first_admitted_at = $at, p.created_seq = $seq
SET
  p.contact_phone = coalesce($contact_phone, p.contact_phone),
  p.insurance = coalesce($insurance, p.insurance),
  p.status = 'ADMITTED', p.admitted_at = $at, p.discharged_at = null, p.seq = $seq
WITH p
OPTIONAL MATCH (last:Stage {id: coalesce(p.last_stage_id, '')})
CREATE (s:Stage:Admission {
  id: $stage_id, stage: 'ADMISSION', patient_id: $patient_id, at: $at,
  arrival_mode: $arrival_mode, chief_complaint: $chief_complaint,
  triage_level: $triage_level, allergies: $allergies,
  current_medications: $current_medications, crew_id: $crew_id,
  recorded_by: $admitted_by, seq: $seq
})
CREATE (p)-[:HAS_STAGE]->(s)
FOREACH (_ IN CASE WHEN last IS NULL THEN [] ELSE [1] END | CREATE (last)-[:NEXT]->(s))
SET p.last_stage_id = $stage_id
FOREACH (o IN $observations |
  CREATE (s)-[:HAS_OBSERVATION]->(:Observation {
    id: o.id, code: o.code, name: o.name, at: o.at, value: o.value, unit: o.unit,
    text: o.text, patient_id: $patient_id, seq: $seq
  })
)
WITH p, s
OPTIONAL MATCH (crew:TransportCrew {id: coalesce($crew_id, '')})
FOREACH (_ IN CASE WHEN crew IS NULL THEN [] ELSE [1] END |
  MERGE (crew)-[:BROUGHT_IN]->(p)
  CREATE (crew)-[:TRANSPORTED]->(s)
)
WITH p, s
OPTIONAL MATCH (doctor:Physician {id: $admitted_by})
FOREACH (_ IN CASE WHEN doctor IS NULL THEN [] ELSE [1] END |
  MERGE (doctor)-[:CARES_FOR]->(p)
)
RETURN s.id AS id
