MATCH (a)-[r]->(b)
WITH a, r, b, toString(coalesce(a.id, a.key, '')) AS start_identity
WHERE $after IS NULL OR start_identity > $after
WITH a, r, b, start_identity
ORDER BY start_identity
LIMIT $limit
RETURN start_identity, labels(a) AS start_labels, a.seq AS start_seq, type(r) AS type,
       toString(coalesce(b.id, b.key, '')) AS end_identity, labels(b) AS end_labels,
       b.seq AS end_seq, r {.*} AS properties
ORDER BY start_identity
