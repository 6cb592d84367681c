MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MERGE (p:Patient {id: $patient_id})
ON CREATE SET
  p.given_name = $given_name, p.family_name = $family_name, p.birth_date = $birth_date,
  p.sex = $sex, p.mrn = $mrn, p.fhir_id = $fhir_id, p.contact_phone = $contact_phone,
  p.deceased_at = $deceased_at, p.status = 'DISCHARGED', p.admitted_at = $admitted_at,
  p.discharged_at = $discharged_at, p.first_admitted_at = $admitted_at,
  p.imported_by = $imported_by, p.fhir_resource = $resource, p.created_seq = $seq
SET p.seq = $seq
RETURN p.id AS id
