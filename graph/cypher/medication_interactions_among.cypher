MATCH (:Medication {key: $key})-[r:INTERACTS_WITH]-(other:Medication)
WHERE other.key IN $keys
WITH DISTINCT other, r
RETURN other {.system, .code, .name} AS medication, r.severity AS severity,
       r.description AS description
ORDER BY other.key
