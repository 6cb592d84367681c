OPTIONAL MATCH (cursor:Cursor {id: 'projection'})
RETURN coalesce(cursor.seq, -1) AS seq
