// From the count store: loads ask once a batch whether an erasure added entries.
MATCH (s:Suppression)
RETURN count(s) AS entries
