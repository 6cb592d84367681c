MATCH (p:Patient {id: $patient_id})
RETURN p {.*} AS patient
