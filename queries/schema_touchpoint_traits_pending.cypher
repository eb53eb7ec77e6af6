CREATE INDEX touchpoint_traits_pending IF NOT EXISTS FOR (n:Touchpoint) ON (n.traits_pending)
