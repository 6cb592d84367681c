MATCH (m:Medication {key: $key})
OPTIONAL MATCH (m)-[:TREATS]->(d:Disease)
RETURN m {.*} AS medication, collect(d.key) AS treats
