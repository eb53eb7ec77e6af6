CREATE INDEX profile_conflicts IF NOT EXISTS FOR (n:Profile) ON (n.conflicts)
