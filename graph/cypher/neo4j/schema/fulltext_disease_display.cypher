CREATE FULLTEXT INDEX disease_display IF NOT EXISTS FOR (n:Disease) ON EACH [n.display]
