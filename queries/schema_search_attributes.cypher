CREATE FULLTEXT INDEX search_attributes IF NOT EXISTS
FOR (n:Customer)
ON EACH [n.attributes_text]
