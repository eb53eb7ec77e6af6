// What stable ids need from the graph, in one statement and one row (evidence.id_state): the
// age (the oldest id survives a merge) and processing restriction (it must follow the person's
// records into a merge or a split) of the profiles being re-clustered, and which candidate new
// ids a profile or a retired id's alias already holds.
CALL () {
  UNWIND $pids AS pid
  MATCH (p:Profile {pid: pid})
  RETURN collect({pid: pid, created_at: toString(p.created_at), restricted: coalesce(p.restricted, false)}) AS profiles
}
CALL () {
  UNWIND $candidates AS pid
  OPTIONAL MATCH (p:Profile {pid: pid})
  OPTIONAL MATCH (a:ProfileAlias {pid: pid})
  WITH pid, p, a
  WHERE p IS NOT NULL OR a IS NOT NULL
  RETURN collect(pid) AS taken
}
RETURN profiles, taken
