MATCH (l:Lease {name: $lease, holder: $holder})
SET l.holder = null, l.until = null
RETURN count(l) AS released
