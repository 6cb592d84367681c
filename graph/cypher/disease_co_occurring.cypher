MATCH (d:Disease {key: $key})<-[:DIAGNOSED_AS]-(:Diagnosis)<-[:HAS_STAGE]-(p:Patient)
WHERE $scope = 'all'
  OR ($scope = 'care' AND (((:Physician {id: $viewer})-[:CARES_FOR]->(p)
      AND coalesce(p.treatment_consent, 'GRANTED') = 'GRANTED') OR p.id IN $granted))
  OR ($scope = 'brought_in' AND (:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(p)
      AND coalesce(p.treatment_consent, 'GRANTED') = 'GRANTED')
WITH DISTINCT p
MATCH (p)-[:HAS_STAGE]->(:Diagnosis)-[:DIAGNOSED_AS]->(other:Disease)
WHERE other.key <> $key
WITH other, count(DISTINCT p) AS patients
RETURN other {.system, .code, .display} AS disease, patients, other.key AS key
ORDER BY patients DESC, key
LIMIT $limit
