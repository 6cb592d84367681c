MATCH (rx:MedicationTransaction {id: $transaction_id, kind: 'PRESCRIPTION'})-[:OF]->(m:Medication)
RETURN rx {.id, .patient_id, .at, .dose, .unit, .route, .status, .discontinued_at} AS prescription,
       m {.key, .code, .name} AS medication
