MATCH (p:Patient)
WHERE ($scope = 'all'
    OR ($scope = 'care' AND ((:Physician {id: $viewer})-[:CARES_FOR]->(p) OR p.id IN $granted))
    OR ($scope = 'brought_in' AND (:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(p)))
  AND ($status IS NULL OR p.status = $status)
  AND ($admitted_after IS NULL OR p.admitted_at >= $admitted_after)
  AND ($admitted_before IS NULL OR p.admitted_at < $admitted_before)
OPTIONAL MATCH (last:Stage {id: p.last_stage_id})
WITH p, last
WHERE $stage IS NULL OR last.stage = $stage
RETURN count(p) AS count
