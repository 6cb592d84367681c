MERGE (cursor:Cursor {id: 'projection'})
WITH cursor WHERE coalesce(cursor.seq, -1) < $seq
SET cursor.seq = $seq
WITH cursor
MATCH (p:Patient {id: $patient_id})
MATCH (u:User {id: $user_id})
CREATE (u)-[:BROKE_GLASS]->(a:BreakGlassAccess {
  id: $access_id, patient_id: $patient_id, user_id: $user_id, reason: $reason,
  at: $at, expires_at: $expires_at, seq: $seq
})-[:FOR]->(p)
RETURN a.id AS id
