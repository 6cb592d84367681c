MATCH (c:Consent {purpose: 'SHARING', status: 'GRANTED'})
RETURN c.recipient_id AS user_id, c.patient_id AS patient_id
