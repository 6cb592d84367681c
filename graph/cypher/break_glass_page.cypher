MATCH (u:User)-[:BROKE_GLASS]->(a:BreakGlassAccess)
WHERE $after_at IS NULL OR a.at < $after_at OR (a.at = $after_at AND a.id < $after_id)
OPTIONAL MATCH (u)-[:ACTS_AS]->(profile)
RETURN a {.id, .patient_id, .reason, .at, .expires_at, .seq} AS access,
       u {.id, .username, .role, .status, .display_name, .registered_at, .seq,
          specialty: profile.specialty, licence_number: profile.licence_number,
          company: profile.company} AS user
ORDER BY a.at DESC, a.id DESC
LIMIT $limit
