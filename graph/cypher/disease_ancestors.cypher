MATCH path = (:Disease {key: $key})-[:IS_A*1..16]->(ancestor:Disease)
WITH ancestor, min(length(path)) AS distance
RETURN ancestor {.system, .code, .display} AS disease, distance, ancestor.key AS key
ORDER BY distance, key
