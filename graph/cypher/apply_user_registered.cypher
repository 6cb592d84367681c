MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
CREATE (u:User {
  id: $user_id, username: $username, password_hash: $password_hash, role: $role,
  status: $status, display_name: $display_name, registered_at: $at,
  created_seq: $seq, seq: $seq
})
FOREACH (_ IN CASE WHEN $role = 'PHYSICIAN' THEN [1] ELSE [] END |
  CREATE (u)-[:ACTS_AS]->(:Physician {
    id: $user_id, display_name: $display_name, specialty: $specialty,
    licence_number: $licence_number, created_seq: $seq, seq: $seq
  })
)
FOREACH (_ IN CASE WHEN $role = 'TRANSPORT' THEN [1] ELSE [] END |
  CREATE (u)-[:ACTS_AS]->(:TransportCrew {
    id: $user_id, display_name: $display_name, company: $company,
    created_seq: $seq, seq: $seq
  })
)
RETURN u.id AS id
