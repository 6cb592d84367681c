MATCH (:Patient {id: $patient_id})-[:HAS_STAGE]->(s:Admission)
RETURN s.at AS at, s.allergies AS allergies, s.current_medications AS current_medications
ORDER BY s.at
