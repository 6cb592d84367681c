MATCH (u:User)
WHERE ($role IS NULL OR u.role = $role)
  AND ($status IS NULL OR u.status = $status)
  AND ($after IS NULL OR u.username > $after)
OPTIONAL MATCH (u)-[:ACTS_AS]->(profile)
RETURN u {.id, .username, .role, .status, .display_name, .registered_at, .seq,
          specialty: profile.specialty, licence_number: profile.licence_number,
          company: profile.company} AS user
ORDER BY u.username
LIMIT $limit
