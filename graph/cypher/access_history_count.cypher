MATCH (a:TwinAccess {patient_id: $patient_id})
RETURN count(a) AS count
