// Eventually consistent: Lucene applies updates on a background thread instead of inside every
// commit. Consistent, each commit that touched a name refreshed the index under its lock, which
// serialized concurrent writers (bare MERGEs of Customers at concurrency 32: 16/s on a 100k-profile
// graph). Search still sees every committed write: api_search_profiles awaits the refresh first.
CREATE FULLTEXT INDEX search_text IF NOT EXISTS
FOR (n:Customer|Organization|Identifier)
ON EACH [n.full_name, n.first_name, n.last_name, n.name, n.value]
OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}}
