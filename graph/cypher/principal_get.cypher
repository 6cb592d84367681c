MATCH (u:User {id: $user_id})
OPTIONAL MATCH (u)-[:BROKE_GLASS]->(grant:BreakGlassAccess)
WHERE grant.expires_at > $now
WITH u, collect(DISTINCT grant.patient_id) AS granted
OPTIONAL MATCH (share:Consent {recipient_id: $user_id, purpose: 'SHARING', status: 'GRANTED'})
RETURN u {.id, .username, .role, .status, .display_name, .patient_id} AS user,
       granted, collect(DISTINCT share.patient_id) AS shared
