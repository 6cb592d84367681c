MATCH (u:User)-[:BROKE_GLASS]->(grant:BreakGlassAccess)
WHERE grant.expires_at > $now
RETURN u.id AS user_id, grant.patient_id AS patient_id, grant.expires_at AS expires_at
