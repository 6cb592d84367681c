MATCH (p:Patient)-[:HAS_STAGE]->(s:Diagnosis)-[:DIAGNOSED_AS]->(d:Disease)
WHERE ($scope = 'all'
    OR ($scope = 'care' AND (((:Physician {id: $viewer})-[:CARES_FOR]->(p)
      AND coalesce(p.treatment_consent, 'GRANTED') = 'GRANTED') OR p.id IN $granted))
    OR ($scope = 'brought_in' AND (:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(p)
      AND coalesce(p.treatment_consent, 'GRANTED') = 'GRANTED'))
  AND ($from IS NULL OR s.at >= $from)
  AND ($to IS NULL OR s.at < $to)
WITH d, count(DISTINCT p) AS patients
RETURN d {.system, .code, .display} AS disease, patients, d.key AS key
ORDER BY patients DESC, key
LIMIT $limit
