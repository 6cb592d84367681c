MATCH (u:User {username: $username})
RETURN u {.*} AS user
