MATCH (p:Patient)-[:HAS_TRANSACTION]->(t:MedicationTransaction)-[:OF]->(m:Medication)
WHERE ($patient_id IS NULL OR p.id = $patient_id)
  AND ($kind IS NULL OR t.kind = $kind)
  AND ($medication_code IS NULL OR m.code = $medication_code)
RETURN count(t) AS count
