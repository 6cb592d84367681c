MATCH (:User)-[:BROKE_GLASS]->(a:BreakGlassAccess)
RETURN count(a) AS count
