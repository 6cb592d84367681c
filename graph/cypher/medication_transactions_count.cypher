MATCH (p:Patient)-[:HAS_TRANSACTION]->(t:MedicationTransaction)-[:OF]->(m:Medication)
WHERE ($scope = 'all'
    OR ($scope = 'care' AND ((:Physician {id: $viewer})-[:CARES_FOR]->(p) OR p.id IN $granted))
    OR ($scope = 'brought_in' AND (:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(p)))
  AND ($patient_id IS NULL OR p.id = $patient_id)
  AND ($kind IS NULL OR t.kind = $kind)
  AND ($medication_code IS NULL OR m.code = $medication_code)
RETURN count(t) AS count
