MATCH (n)
WITH n, toString(coalesce(n.id, n.key, '')) AS identity
WHERE $after IS NULL OR identity > $after
WITH n, identity
ORDER BY identity
LIMIT $limit
RETURN identity, labels(n) AS labels, n {.*} AS properties
ORDER BY identity
