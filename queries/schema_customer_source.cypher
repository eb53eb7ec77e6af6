CREATE INDEX customer_source IF NOT EXISTS FOR (n:Customer) ON (n.source, n.source_id)
