CREATE INDEX identifier_kind IF NOT EXISTS FOR (n:Identifier) ON (n.kind)
