MATCH (u:User {username: $username})
RETURN u {.id, .username, .role, .status, .display_name, .password_hash} AS user
