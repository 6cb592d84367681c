MATCH (u:User)
RETURN u {.id, .username, .role, .status, .display_name} AS user
