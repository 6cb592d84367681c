MATCH (d:Disease)
WHERE d.record_hash IS NOT NULL
RETURN count(d) AS count
