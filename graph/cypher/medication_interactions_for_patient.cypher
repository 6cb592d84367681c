MATCH (:Patient {id: $patient_id})-[:HAS_TRANSACTION]->(rx:MedicationTransaction)-[:OF]->(taken:Medication)
WHERE rx.kind = 'PRESCRIPTION' AND rx.status = 'ACTIVE' AND taken.key <> $key
MATCH (taken)-[r:INTERACTS_WITH]-(:Medication {key: $key})
WITH DISTINCT taken, r
RETURN taken {.system, .code, .name} AS medication, r.severity AS severity,
       r.description AS description
ORDER BY taken.key
