CREATE CONSTRAINT fhir_resource_id_unique IF NOT EXISTS FOR (n:FhirResource) REQUIRE n.id IS UNIQUE
