MATCH (c:Consent {patient_id: $patient_id})
OPTIONAL MATCH (u:User {id: c.recipient_id})
RETURN c {.*, recipient_name: u.display_name} AS consent
ORDER BY c.purpose, c.id
