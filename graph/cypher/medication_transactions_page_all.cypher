MATCH (p:Patient)-[:HAS_TRANSACTION]->(t:MedicationTransaction)-[:OF]->(m:Medication)
WHERE ($patient_id IS NULL OR p.id = $patient_id)
  AND ($kind IS NULL OR t.kind = $kind)
  AND ($medication_code IS NULL OR m.code = $medication_code)
  AND ($after_at IS NULL OR t.at < $after_at OR (t.at = $after_at AND t.id < $after_id))
RETURN t {.*, medication: m {.key, .system, .code, .name}} AS transaction
ORDER BY t.at DESC, t.id DESC
LIMIT $limit
