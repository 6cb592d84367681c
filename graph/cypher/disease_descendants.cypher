MATCH path = (descendant:Disease)-[:IS_A*1..16]->(:Disease {key: $key})
WITH descendant, min(length(path)) AS distance
RETURN descendant {.system, .code, .display} AS disease, distance, descendant.key AS key
ORDER BY distance, key
LIMIT $limit
