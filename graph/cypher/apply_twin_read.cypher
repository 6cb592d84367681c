MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
CREATE (a:TwinAccess {
  id: $access_id, patient_id: $patient_id, reader_id: $reader_id,
  reader_role: $reader_role, grounds: $grounds, sections: $sections, at: $at, seq: $seq
})
RETURN a.id AS id
