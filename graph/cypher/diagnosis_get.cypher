MATCH (d:Diagnosis {id: $stage_id})
RETURN d {.id, .patient_id, .at} AS diagnosis
