MATCH (p:Patient {id: $patient_id})
WHERE $scope = 'all'
  OR ($scope = 'care' AND ((:Physician {id: $viewer})-[:CARES_FOR]->(p) OR p.id IN $granted))
  OR ($scope = 'brought_in' AND (:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(p))
OPTIONAL MATCH (p)-[:HAS_STAGE]->(first:Stage)
WHERE NOT ()-[:NEXT]->(first)
OPTIONAL MATCH chain = (first)-[:NEXT*0..]->(s:Stage)
WITH p, s, length(chain) AS position
ORDER BY position
WITH p, [stage IN collect(s {
  .*,
  labels: labels(s),
  observations: [(s)-[:HAS_OBSERVATION]->(o) | o {.*}],
  diseases: CASE WHEN s:Diagnosis THEN
    [(s)-[:DIAGNOSED_AS]->(d) | d {.key, .system, .code, .display}] ELSE [] END,
  phases: CASE WHEN s:Surgery THEN [(s)-[:HAS_PHASE]->(ph) | ph {.*}] ELSE [] END,
  treatments: CASE WHEN s:Diagnosis THEN [(s)-[:TREATED_WITH]->(t) | t.id] ELSE [] END
}) WHERE stage.id IS NOT NULL] AS stages
RETURN p {.*} AS patient,
  stages,
  [(p)-[:HAS_TRANSACTION]->(t)-[:OF]->(m) |
    t {.*, medication: m {.key, .system, .code, .name}}] AS transactions,
  [(doctor:Physician)-[:CARES_FOR]->(p) | doctor {.id, .display_name, .specialty}] AS physicians,
  [(crew:TransportCrew)-[:BROUGHT_IN]->(p) | crew {.id, .display_name, .company}] AS crews
