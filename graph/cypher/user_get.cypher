MATCH (u:User {id: $user_id})
OPTIONAL MATCH (u)-[:ACTS_AS]->(profile)
RETURN u {.id, .username, .role, .status, .display_name, .registered_at, .seq,
          specialty: profile.specialty, licence_number: profile.licence_number,
          company: profile.company} AS user
