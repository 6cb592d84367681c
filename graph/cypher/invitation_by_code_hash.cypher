MATCH (i:Invitation {code_hash: $code_hash})
RETURN i {.id, .patient_id, .expires_at, .used_at} AS invitation
