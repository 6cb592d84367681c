OPTIONAL MATCH (:Physician {id: $viewer})-[:CARES_FOR]->(cared:Patient)
WHERE coalesce(cared.treatment_consent, 'GRANTED') = 'GRANTED'
OPTIONAL MATCH (:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(brought:Patient)
WHERE coalesce(brought.treatment_consent, 'GRANTED') = 'GRANTED'
WITH collect(DISTINCT cared.id) + collect(DISTINCT brought.id)
  + CASE WHEN $scope = 'care' THEN $granted ELSE [] END AS mine
UNWIND mine AS patient_id
WITH DISTINCT patient_id
WHERE $patient_id IS NULL OR patient_id = $patient_id
MATCH (p:Patient {id: patient_id})-[:HAS_TRANSACTION]->(t:MedicationTransaction)-[:OF]->(m:Medication)
WHERE ($kind IS NULL OR t.kind = $kind)
  AND ($medication_code IS NULL OR m.code = $medication_code)
  AND ($after_at IS NULL OR t.at < $after_at OR (t.at = $after_at AND t.id < $after_id))
RETURN t {.*, medication: m {.key, .system, .code, .name}} AS transaction
ORDER BY t.at DESC, t.id DESC
LIMIT $limit
