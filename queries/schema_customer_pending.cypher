CREATE INDEX customer_pending IF NOT EXISTS FOR (n:Customer) ON (n.pending)
