MATCH (s:Surgery {id: $stage_id})
OPTIONAL MATCH (s)-[:HAS_PHASE]->(ph:SurgeryPhase)
RETURN s {.id, .patient_id, .at} AS surgery,
       collect(ph {.phase, .at, .started_at, .ended_at}) AS phases
