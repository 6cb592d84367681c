MATCH (t:ErasedPatient {id: $patient_id})
RETURN t {.*} AS tombstone
