// Take or renew a lease. Setting `claimed` first takes the node's write lock, so the holder and
// expiry read after it are the committed ones: two processes cannot both win.
MERGE (l:Lease {name: $lease})
SET l.claimed = $now
WITH l
WITH l, (l.holder IS NULL OR l.holder = $holder OR l.until < $now) AS free
SET l.holder = CASE WHEN free THEN $holder ELSE l.holder END,
    l.until = CASE WHEN free THEN $until ELSE l.until END
RETURN l.holder AS holder, l.until AS until
