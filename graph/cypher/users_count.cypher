MATCH (u:User)
WHERE ($role IS NULL OR u.role = $role)
  AND ($status IS NULL OR u.status = $status)
RETURN count(u) AS count
