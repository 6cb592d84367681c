MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})-[:HAS_TRANSACTION]->(rx:MedicationTransaction {id: $prescription_id})
MATCH (rx)-[:OF]->(m:Medication)
CREATE (t:MedicationTransaction {
  id: $transaction_id, kind: 'ADMINISTRATION', patient_id: $patient_id, at: $at,
  dose: $dose, unit: $unit, route: $route, prescription_id: $prescription_id,
  recorded_by: $administered_by, seq: $seq
})
CREATE (p)-[:HAS_TRANSACTION]->(t)
CREATE (t)-[:OF]->(m)
CREATE (t)-[:FULFILS]->(rx)
SET p.seq = $seq, rx.seq = $seq
RETURN t.id AS id
