MATCH (:User {id: $viewer})-[:BROKE_GLASS]->(a:BreakGlassAccess)
WHERE a.expires_at > $now
RETURN collect(DISTINCT a.patient_id) AS patient_ids
