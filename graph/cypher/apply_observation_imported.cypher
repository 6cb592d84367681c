MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (s:Stage {id: $stage_id})
WHERE s.patient_id = $patient_id
MATCH (p:Patient {id: $patient_id})
SET p.seq = $seq, s.seq = $seq
FOREACH (o IN $observations |
  CREATE (s)-[:HAS_OBSERVATION]->(:Observation {
    id: o.id, code: o.code, name: o.name, at: o.at, value: o.value, unit: o.unit,
    text: o.text, system: o.system, status: o.status, unit_system: o.unit_system,
    unit_code: o.unit_code, value_system: o.value_system, value_code: o.value_code,
    category: o.category, other_codings: o.other_codings, fhir_id: o.fhir_id,
    panel_id: o.panel_id, component_index: o.component_index, patient_id: $patient_id,
    fhir_resource: CASE WHEN o.panel_id IS NULL THEN $resource ELSE null END,
    seq: $seq
  })
)
RETURN s.id AS id
