MATCH (d:Disease)
WHERE d.system = $system
  AND (d.code STARTS WITH $code OR all(word IN $words WHERE toLower(d.display) CONTAINS word))
WITH d, CASE WHEN d.code STARTS WITH $code THEN 0 ELSE 1 END AS rank
RETURN d {.system, .code, .display} AS disease, rank, size(d.code) AS length, d.code AS code
ORDER BY rank, length, code
LIMIT $limit
