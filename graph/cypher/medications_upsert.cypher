UNWIND $rows AS row
MERGE (m:Medication {key: row.system + '|' + row.code})
SET m.system = row.system, m.code = row.code, m.name = row.name
RETURN count(m) AS count
