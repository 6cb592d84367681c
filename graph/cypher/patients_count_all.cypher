MATCH (p:Patient)
WHERE ($status IS NULL OR p.status = $status)
  AND ($admitted_after IS NULL OR p.admitted_at >= $admitted_after)
  AND ($admitted_before IS NULL OR p.admitted_at < $admitted_before)
  AND ($search IS NULL
       OR toLower(p.given_name + ' ' + p.family_name) CONTAINS $search
       OR toLower(p.family_name + ' ' + p.given_name) CONTAINS $search
       OR toLower(coalesce(p.mrn, '')) STARTS WITH $search)
OPTIONAL MATCH (last:Stage {id: p.last_stage_id})
WITH p, last
WHERE $stage IS NULL OR last.stage = $stage
RETURN count(p) AS count
