MATCH (d:Disease {system: $system})
OPTIONAL MATCH (d)-[link:IS_A]->(:Disease)
RETURN count(DISTINCT d) AS diseases, count(link) AS is_a
