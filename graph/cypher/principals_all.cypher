MATCH (u:User)
RETURN u {.id, .username, .role, .status, .display_name, .patient_id} AS user
