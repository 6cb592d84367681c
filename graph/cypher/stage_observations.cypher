MATCH (s:Stage {id: $stage_id})-[:HAS_OBSERVATION]->(o:Observation)
RETURN o {.*} AS observation
ORDER BY o.at, o.id
