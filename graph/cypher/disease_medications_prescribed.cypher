UNWIND $keys AS key
MATCH (:Disease {key: key})<-[:DIAGNOSED_AS]-(diagnosis:Diagnosis)<-[:HAS_STAGE]-(p:Patient)
WHERE $scope = 'all'
  OR ($scope = 'care' AND (((:Physician {id: $viewer})-[:CARES_FOR]->(p)
      AND coalesce(p.treatment_consent, 'GRANTED') = 'GRANTED') OR p.id IN $granted))
  OR ($scope = 'brought_in' AND (:TransportCrew {id: $viewer})-[:BROUGHT_IN]->(p)
      AND coalesce(p.treatment_consent, 'GRANTED') = 'GRANTED')
MATCH (diagnosis)-[:TREATED_WITH]->(t:MedicationTransaction)-[:OF]->(m:Medication)
WHERE t.kind = 'PRESCRIPTION'
WITH key, m, count(DISTINCT p) AS patients, count(DISTINCT t) AS prescriptions
RETURN key, m {.system, .code, .name} AS medication, patients, prescriptions,
  m.key AS medication_key
ORDER BY key, patients DESC, prescriptions DESC, medication_key
