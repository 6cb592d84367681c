MATCH (rx:MedicationTransaction {id: $transaction_id, kind: 'PRESCRIPTION'})-[:OF]->(m:Medication)
OPTIONAL MATCH (given:MedicationTransaction)-[:FULFILS]->(rx)
WITH rx, m, max(given.at) AS last_given
RETURN rx {.id, .patient_id, .at, .dose, .unit, .route, .status, .discontinued_at,
           last_given: last_given} AS prescription,
       m {.key, .code, .name} AS medication
