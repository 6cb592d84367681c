MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MERGE (r:FhirResource {id: $node_id})
ON CREATE SET r.created_seq = $seq
SET r.shared = true, r.fhir_id = $fhir_id, r.resource_type = $resource_type,
  r.display = $name, r.fhir_resource = $resource, r.recorded_by = $imported_by, r.seq = $seq
RETURN r.id AS id
