// One page of all profiles in id order (keyset on pid), with the total for the connection;
// `$only`, when not null, keeps the profiles a consent filter allowed.
CALL () {
  MATCH (p:Profile)
  WHERE ($see_restricted OR p.restricted IS NULL OR p.restricted = false)
    AND ($only IS NULL OR p.pid IN $only)
  RETURN count(p) AS total
}
CALL (total) {
  MATCH (p:Profile)
  WHERE ($after IS NULL OR p.pid > $after)
    AND ($see_restricted OR p.restricted IS NULL OR p.restricted = false)
    AND ($only IS NULL OR p.pid IN $only)
  WITH p ORDER BY p.pid
  LIMIT $limit
  RETURN collect(p {.*}) AS profiles
}
RETURN total, profiles
