MATCH (m:Medication)
WHERE m.code = $code OR all(word IN $words WHERE toLower(m.name) CONTAINS word)
WITH m, CASE WHEN m.code = $code THEN 0 ELSE 1 END AS rank
RETURN m {.system, .code, .name} AS medication, rank, size(m.name) AS length, m.key AS key
ORDER BY rank, length, key
LIMIT $limit
