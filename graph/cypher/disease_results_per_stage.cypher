MATCH (p:Patient)
WHERE ($scope = 'all'
    OR ($scope = 'care' AND (((:Physician {id: $viewer})-[:CARES_FOR]->(p)
      AND coalesce(p.treatment_consent, 'GRANTED') = 'GRANTED') OR p.id IN $granted))
    OR ($scope = 'brought_in' AND (:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(p)
      AND coalesce(p.treatment_consent, 'GRANTED') = 'GRANTED'))
  AND ($from IS NULL OR p.admitted_at >= $from)
  AND ($to IS NULL OR p.admitted_at < $to)
MATCH (last:Stage {id: p.last_stage_id})
WITH last.stage AS stage, count(DISTINCT p) AS patients
RETURN stage, patients
ORDER BY stage
