MATCH (p:Patient {id: $patient_id})
OPTIONAL MATCH (last:Stage {id: coalesce(p.last_stage_id, '')})
RETURN p {.id, .status, .birth_date, .admitted_at, .discharged_at, .seq} AS patient,
       last {.id, .stage, .at} AS last_stage
