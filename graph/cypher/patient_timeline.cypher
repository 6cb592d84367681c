MATCH (p:Patient {id: $patient_id})-[:HAS_STAGE]->(first:Stage)
WHERE NOT ()-[:NEXT]->(first)
MATCH chain = (first)-[:NEXT*0..]->(s:Stage)
RETURN s {.*, labels: labels(s)} AS stage, length(chain) AS position
ORDER BY position
