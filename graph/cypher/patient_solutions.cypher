UNWIND $patient_ids AS patient_id
MATCH (p:Patient {id: patient_id})-[:HAS_STAGE]->(d:Diagnosis)
WITH p, d ORDER BY d.at
RETURN p.id AS patient_id, collect(d {
  .id, .at, .findings, .symptoms, .seq,
  diseases: [(d)-[:DIAGNOSED_AS]->(disease:Disease) | disease {.key, .system, .code, .display}],
  treatments: [(d)-[:TREATED_WITH]->(t:MedicationTransaction)-[:OF]->(m:Medication) |
    t {.*, medication: m {.key, .system, .code, .name}}]
}) AS diagnoses
