MATCH (a:Disease {key: $from_key})
MATCH (b:Disease {key: $to_key})
MATCH climb = (a)-[:IS_A*0..16]->(common:Disease)
WITH b, climb, common
MATCH descent = (b)-[:IS_A*0..16]->(meeting:Disease)
WHERE meeting = common
WITH climb, descent, common, length(climb) + length(descent) AS distance
WHERE distance <= $max_length
RETURN [n IN nodes(climb) | n {.system, .code, .display}] AS up,
  [n IN nodes(descent) | n {.system, .code, .display}] AS down,
  distance, common.key AS via,
  reduce(keys = '', n IN nodes(climb) + nodes(descent) | keys + n.key + ' ') AS route
ORDER BY distance, via, route
LIMIT 1
