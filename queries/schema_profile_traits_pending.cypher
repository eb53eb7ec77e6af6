CREATE INDEX profile_traits_pending IF NOT EXISTS FOR (n:Profile) ON (n.traits_pending)
