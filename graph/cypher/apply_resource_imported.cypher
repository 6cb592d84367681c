MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
CREATE (r:FhirResource {
  id: $node_id, patient_id: $patient_id, fhir_id: $fhir_id, resource_type: $resource_type,
  at: $at, code_system: $code_system, code: $code, display: $display, status: $status,
  fhir_resource: $resource, recorded_by: $imported_by, seq: $seq
})
CREATE (p)-[:HAS_RESOURCE]->(r)
SET p.seq = $seq
RETURN r.id AS id
