MATCH (a:TwinAccess {patient_id: $patient_id})
WHERE $after_at IS NULL OR a.at < $after_at OR (a.at = $after_at AND a.id < $after_id)
OPTIONAL MATCH (u:User {id: a.reader_id})
RETURN a {.*, reader_name: u.display_name} AS access
ORDER BY a.at DESC, a.id DESC
LIMIT $limit
