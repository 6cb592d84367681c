MATCH (m:Medication {key: $key})
OPTIONAL MATCH (m)-[:TREATS]->(d:Disease)
WITH m, collect(DISTINCT d) AS treats
OPTIONAL MATCH (m)-[r:INTERACTS_WITH]-(other:Medication)
RETURN m {.system, .code, .name} AS medication, treats,
       collect(CASE WHEN other IS NULL THEN NULL ELSE {
         medication: other {.system, .code, .name},
         severity: r.severity, description: r.description
       } END) AS interactions
