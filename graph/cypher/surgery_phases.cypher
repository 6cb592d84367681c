MATCH (s:Surgery {id: $stage_id})-[:HAS_PHASE]->(ph:SurgeryPhase)
RETURN ph {.*} AS phase
ORDER BY ph.at, ph.id
