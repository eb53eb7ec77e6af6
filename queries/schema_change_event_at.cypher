CREATE INDEX change_event_at IF NOT EXISTS FOR (n:ChangeEvent) ON (n.at)
