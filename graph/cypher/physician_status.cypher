MATCH (u:User {id: $user_id})-[:ACTS_AS]->(:Physician)
RETURN u.status AS status
