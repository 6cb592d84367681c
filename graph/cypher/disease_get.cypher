MATCH (d:Disease {key: $key})
OPTIONAL MATCH (d)-[:IS_A]->(parent:Disease)
RETURN d {.*} AS disease, collect(parent.key) AS parents
