CREATE INDEX touchpoint_at IF NOT EXISTS FOR (n:Touchpoint) ON (n.at)
