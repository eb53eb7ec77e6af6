CREATE INDEX identifier_held_out IF NOT EXISTS FOR (n:Identifier) ON (n.held_out)
