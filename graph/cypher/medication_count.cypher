MATCH (m:Medication)
WITH count(m) AS medications
OPTIONAL MATCH (:Medication)-[r:INTERACTS_WITH]->(:Medication)
WITH medications, count(r) AS interactions
OPTIONAL MATCH (:Medication)-[t:TREATS]->(:Disease)
RETURN medications, interactions, count(t) AS treats
