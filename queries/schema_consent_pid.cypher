CREATE INDEX consent_pid IF NOT EXISTS FOR (n:Consent) ON (n.pid)
