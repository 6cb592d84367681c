MATCH (p:Patient {id: $patient_id})
RETURN [(p)-[:HAS_RESOURCE]->(r:FhirResource) | r {.*}] AS own,
  [(p)-[:USES]->(s:FhirResource) WHERE s.fhir_resource IS NOT NULL | s {.*}] AS shared
