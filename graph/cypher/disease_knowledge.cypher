MATCH (d:Disease {key: $key})
OPTIONAL MATCH (d)-[:IS_A]->(parent:Disease)
WITH d, collect(DISTINCT parent) AS parents
OPTIONAL MATCH (child:Disease)-[:IS_A]->(d)
WITH d, parents, collect(DISTINCT child) AS children
OPTIONAL MATCH (m:Medication)-[:TREATS]->(d)
RETURN d {.*} AS disease, parents, children, collect(DISTINCT m) AS treated_by
