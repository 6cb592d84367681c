MATCH (d:Disease)
WHERE d.record_hash IS NOT NULL AND ($after IS NULL OR d.key > $after)
RETURN d {.*} AS disease
ORDER BY d.key
LIMIT $limit
