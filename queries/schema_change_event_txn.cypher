CREATE INDEX change_event_txn IF NOT EXISTS FOR (n:ChangeEvent) ON (n.txn)
