MATCH (n)
WITH n, toString(coalesce(n.id, n.key, '')) AS identity
WHERE $after IS NULL OR identity > $after
RETURN identity, labels(n) AS labels, n {.*} AS properties
ORDER BY identity
LIMIT $limit
