MATCH (r:ErasureRequest)
OPTIONAL MATCH (u:User {id: r.requested_by})
RETURN r {.patient_id, .at, .seq, requested_by_name: u.display_name} AS request
ORDER BY r.at DESC, r.id DESC
LIMIT $limit
