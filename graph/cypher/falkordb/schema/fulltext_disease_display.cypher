CALL db.idx.fulltext.createNodeIndex('Disease', 'display')
