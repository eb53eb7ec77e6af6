// Records per source, and how many of them carry each field (completeness per field and source).
MATCH (c:Customer)
RETURN c.source AS source,
       count(*) AS records,
       count(c.first_name) AS first_name,
       count(c.last_name) AS last_name,
       count(c.birth_date) AS birth_date,
       count(c.street) AS street,
       count(c.city) AS city,
       count(c.postcode) AS postcode,
       count(c.country) AS country,
       sum(CASE WHEN EXISTS { (c)-[:HAS_IDENTIFIER]->(:Identifier {kind: 'email'}) } THEN 1 ELSE 0 END) AS email,
       sum(CASE WHEN EXISTS { (c)-[:HAS_IDENTIFIER]->(:Identifier {kind: 'phone'}) } THEN 1 ELSE 0 END) AS phone
ORDER BY records DESC, source
