CREATE FULLTEXT INDEX search_text IF NOT EXISTS
FOR (n:Customer|Organization|Identifier)
ON EACH [n.full_name, n.first_name, n.last_name, n.name, n.value]
