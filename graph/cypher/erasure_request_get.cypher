MATCH (r:ErasureRequest {patient_id: $patient_id})
OPTIONAL MATCH (u:User {id: r.requested_by})
RETURN r {.patient_id, .at, .seq, requested_by_name: u.display_name} AS request
