MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
OPTIONAL MATCH (n)
WHERE n.patient_id = $patient_id OR (n:Patient AND n.id = $patient_id)
WITH cursor, collect(n) AS owned
OPTIONAL MATCH (k)
WHERE (k:Disease OR k:Medication) AND k.created_seq IN $seqs
OPTIONAL MATCH (k)--(o)
WHERE coalesce(o.patient_id, o.id, '') <> $patient_id
WITH cursor, owned, k, count(o) AS others
WITH cursor, owned, collect(CASE WHEN others = 0 THEN k END) AS orphans
WITH owned + orphans AS doomed
FOREACH (n IN doomed | DETACH DELETE n)
MERGE (t:ErasedPatient {id: $patient_id})
ON CREATE SET t.erased_at = $at, t.erased_by = $erased_by, t.seq = $seq
RETURN t.id AS id
