WITH $words AS words, size($words) - 1 AS last
WHERE last >= 0
WITH reduce(q = '', i IN range(0, last) | q + ' +' + words[i] + CASE WHEN i = last AND size(words[i]) > 1 THEN '*' ELSE '' END) AS query
CALL db.index.fulltext.queryNodes('disease_display', query) YIELD node
WITH node WHERE node.system = $system
RETURN node {.system, .code, .display} AS disease, size(node.code) AS length, node.code AS code
ORDER BY length, code
LIMIT $limit
