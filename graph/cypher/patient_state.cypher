MATCH (p:Patient {id: $patient_id})
WHERE $scope = 'all'
  OR ($scope = 'care' AND ((:Physician {id: $viewer})-[:CARES_FOR]->(p) OR p.id IN $granted))
  OR ($scope = 'brought_in' AND (:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(p))
OPTIONAL MATCH (last:Stage {id: coalesce(p.last_stage_id, '')})
RETURN p {.id, .status, .birth_date, .admitted_at, .discharged_at, .seq} AS patient,
       last {.id, .stage, .at} AS last_stage
