MATCH (p:Patient {id: $patient_id})
OPTIONAL MATCH (doctor:Physician {id: $viewer})-[:CARES_FOR]->(p)
OPTIONAL MATCH (crew:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(p)
WITH p, coalesce(p.treatment_consent, 'GRANTED') = 'GRANTED' AS treatment,
  count(doctor) > 0 AS cares, count(crew) > 0 AS brought
WITH p, CASE
  WHEN $scope = 'all' THEN 'ADMINISTRATION'
  WHEN $scope = 'care' AND cares AND treatment THEN 'CARE_TEAM'
  WHEN $scope = 'brought_in' AND brought AND treatment THEN 'CARE_TEAM'
  WHEN $scope = 'care' AND p.id IN $granted THEN 'GRANTED'
  ELSE null END AS grounds
WHERE grounds IS NOT NULL
RETURN p.id AS id, grounds
