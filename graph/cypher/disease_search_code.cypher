MATCH (d:Disease)
WHERE d.key STARTS WITH $key_prefix
RETURN d {.system, .code, .display} AS disease, size(d.code) AS length, d.code AS code
ORDER BY length, code
LIMIT $limit
