MATCH (n)
WHERE n.patient_id = $patient_id OR (n:Patient AND n.id = $patient_id)
RETURN count(n) AS nodes
