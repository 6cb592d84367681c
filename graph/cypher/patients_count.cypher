OPTIONAL MATCH (:Physician {id: $viewer})-[:CARES_FOR]->(cared:Patient)
WHERE coalesce(cared.treatment_consent, 'GRANTED') = 'GRANTED'
OPTIONAL MATCH (:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(brought:Patient)
WHERE coalesce(brought.treatment_consent, 'GRANTED') = 'GRANTED'
WITH collect(DISTINCT cared.id) + collect(DISTINCT brought.id)
  + CASE WHEN $scope = 'care' THEN $granted ELSE [] END AS mine
UNWIND mine AS patient_id
WITH DISTINCT patient_id
MATCH (p:Patient {id: patient_id})
WHERE ($status IS NULL OR p.status = $status)
  AND ($admitted_after IS NULL OR p.admitted_at >= $admitted_after)
  AND ($admitted_before IS NULL OR p.admitted_at < $admitted_before)
  AND ($search IS NULL
       OR toLower(p.given_name + ' ' + p.family_name) CONTAINS $search
       OR toLower(p.family_name + ' ' + p.given_name) CONTAINS $search
       OR toLower(coalesce(p.mrn, '')) STARTS WITH $search)
OPTIONAL MATCH (last:Stage {id: p.last_stage_id})
WITH p, last
WHERE $stage IS NULL OR last.stage = $stage
RETURN count(p) AS count
