MATCH (u:User {id: $user_id})-[:ACTS_AS]->(doctor:Physician)
RETURN doctor {.*, status: u.status, username: u.username} AS physician
