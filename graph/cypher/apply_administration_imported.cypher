MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
MERGE (m:Medication {key: $medication.system + '|' + $medication.code})
ON CREATE SET m.system = $medication.system, m.code = $medication.code,
  m.name = $medication.name, m.created_seq = $seq
CREATE (t:MedicationTransaction {
  id: $transaction_id, kind: 'ADMINISTRATION', patient_id: $patient_id, at: $at,
  dose: coalesce($dose, 0.0), dose_stated: $dose IS NOT NULL, unit: $unit, route: $route,
  prescription_id: $prescription_id, status: $status,
  medication_display: $medication_display, other_codings: $other_codings,
  encounter_id: $encounter_id, fhir_id: $fhir_id, fhir_resource: $resource,
  recorded_by: $imported_by, seq: $seq
})
CREATE (p)-[:HAS_TRANSACTION]->(t)
CREATE (t)-[:OF]->(m)
SET p.seq = $seq
WITH t
OPTIONAL MATCH (rx:MedicationTransaction {id: coalesce($prescription_id, ''),
  kind: 'PRESCRIPTION'})
FOREACH (_ IN CASE WHEN rx IS NULL THEN [] ELSE [1] END |
  CREATE (t)-[:FULFILS]->(rx)
  SET rx.seq = $seq
)
RETURN t.id AS id
