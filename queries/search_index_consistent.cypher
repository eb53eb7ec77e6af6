// Whether the full-text index still updates inside every commit (created before it became
// eventually consistent): schema.apply then drops it, and schema_search_fulltext recreates it.
SHOW FULLTEXT INDEXES YIELD name, options
WHERE name = 'search_text'
RETURN options.indexConfig.`fulltext.eventually_consistent` = false AS consistent
