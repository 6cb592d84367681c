MATCH (p:Patient {id: $patient_id})
WHERE $scope = 'all'
  OR ($scope = 'care' AND ((:Physician {id: $viewer})-[:CARES_FOR]->(p) OR p.id IN $granted))
  OR ($scope = 'brought_in' AND (:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(p))
RETURN p.id AS id
