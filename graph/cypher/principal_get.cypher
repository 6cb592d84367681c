MATCH (u:User {id: $user_id})
OPTIONAL MATCH (u)-[:BROKE_GLASS]->(grant:BreakGlassAccess)
WHERE grant.expires_at > $now
RETURN u {.id, .username, .role, .status, .display_name, .patient_id} AS user,
       collect(DISTINCT grant.patient_id) AS granted
