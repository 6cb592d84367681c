MATCH (p:Patient)
WHERE ($status IS NULL OR p.status = $status)
  AND ($admitted_after IS NULL OR p.admitted_at >= $admitted_after)
  AND ($admitted_before IS NULL OR p.admitted_at < $admitted_before)
OPTIONAL MATCH (last:Stage {id: p.last_stage_id})
WITH p, last
WHERE $stage IS NULL OR last.stage = $stage
RETURN count(p) AS count
