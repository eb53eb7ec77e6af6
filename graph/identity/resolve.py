"""Resolution: records -> clusters -> profiles with stable ids, golden values and history.

Incremental by default: only records loaded or changed since the last run (`pending`) and
whatever they reach are re-clustered. `full=True` re-clusters everything; both give the
same partition because the incremental scope is closed (see evidence.scope).
"""

import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from graph.changes import outbox
from graph.connection import Graph, Rows, TxGraph
from graph.identity import evidence, people, profiles, rebuild, stable_ids
from graph.identity.components import cluster
from graph.identity.fuzzy import fuzzy_pairs
from graph.identity.households import assign_households
from graph.identity.lock import Lease, LeaseBusy, locked
from graph.identity.report import ResolveReport
from graph.identity.rules import MatchRules
from graph.identity.scoring.definition import ScoringRules
from graph.identity.scoring.score import ScoreReport, score_records
from graph.traits import refresh_pending

__all__ = ["MICRO_LIMIT", "FullEngine", "ResolveReport", "cluster_all", "resolve", "resolve_batch"]

PROFILE_PREFIX = "P-"
MICRO_LIMIT = 1000
"""Records one micro-batch claims; a bigger backlog is resolved under the lease."""
CLAIM_BATCH = 5000


class FullEngine(Protocol):
    """Another engine for the partition of a full rebuild (graph/identity/spark/); everything
    around it -- lease, stable ids, profiles, history, households -- stays this module's."""

    def score(self, graph: Graph, rules: ScoringRules, uids: list[str]) -> ScoreReport: ...

    def partition(
        self, graph: Graph, rules: MatchRules, facts: evidence.Evidence
    ) -> tuple[list[people.Verdict], list[list[int]]]: ...


class _Timer:
    def __init__(self, report: ResolveReport) -> None:
        self._report = report
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self._report.timings[name] = round(now - self._last, 4)
        self._last = now


def resolve(
    graph: Graph,
    rules: MatchRules,
    *,
    full: bool = False,
    by: str = "resolver",
    wait: float = 600.0,
    engine: FullEngine | None = None,
    traits: bool = True,
) -> ResolveReport:
    """Resolve everything pending (every record with `full`) under the identity lock.

    A small backlog is resolved in micro-batches, each one transaction holding the lock; a big
    one or a full rebuild under the lease, in several transactions (graph/identity/lock.py).
    `wait` bounds how long to wait for another process's lease. `engine` computes the partition
    of a full rebuild instead of this process (it needs `full`). `traits` False (with `full`) leaves
    the trait refresh to the caller: a bulk load refreshes the whole new base (graph/traits/bulk.py).
    """
    if engine is not None and not full:
        raise ValueError("another engine runs full rebuilds only")
    if not traits and not full:
        raise ValueError("only a full rebuild leaves the trait refresh to its caller")
    deadline = time.monotonic() + wait
    pending = 0 if full else graph.read("identity_pending_stats")[0]["pending"]
    if not full and pending <= MICRO_LIMIT:
        report = ResolveReport("incremental")
        while True:
            try:
                batch = resolve_batch(graph, rules, by=by)
            except LeaseBusy as busy:
                if busy.crashed:
                    break  # the lease's owner died: repair under the lease
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
                continue
            report.add(batch)
            pending -= batch.claimed
            # Done when the backlog seen at the start is: records written since are the next
            # call's (a writer's follower calls again), so a full batch is not followed by an
            # empty one.
            if batch.claimed < MICRO_LIMIT or pending <= 0:
                return _traits(graph, report)
    report = _leased(graph, rules, full=full, by=by, wait=max(0.0, deadline - time.monotonic()), engine=engine)
    return _traits(graph, report) if traits else report


def _traits(graph: Graph, report: ResolveReport) -> ResolveReport:
    """After the resolution committed: traits and segment membership of every profile that is due
    (resolution marked the ones it wrote; loads marked touchpoints), each chunk under the lock."""
    report.traits = refresh_pending(graph).profiles
    return report


def resolve_batch(
    graph: Graph,
    rules: MatchRules,
    *,
    uids: Sequence[str] = (),
    by: str = "resolver",
    limit: int = MICRO_LIMIT,
    answer: bool = False,
) -> ResolveReport:
    """One micro-batch: `uids` (if pending) and up to `limit` other pending records, resolved in
    ONE transaction that holds the identity lock: all of it commits, or none (a crash, a
    deadlock victim) and the records stay pending. Raises LeaseBusy while a lease is held.
    `answer`: also read the profile of each of `uids` in that transaction (`profile_of`), final
    because the lock is held (the caller saves a round trip per record)."""

    def work(tx: TxGraph) -> ResolveReport:
        token = f"batch:{uuid.uuid4()}"
        # The given records first, then others up to `limit`, in one statement.
        claim = tx.write("resolve_claim_batch", uids=list(uids), token=token, limit=max(0, limit - len(uids)))
        touched: Rows = claim[0]["claimed"]
        claimed = [row["uid"] for row in touched]
        wanted = list(uids) if answer else []
        report = _run(tx, rules, touched, claimed, token=token, full=False, by=by, answer=wanted)
        if wanted and not report.profile_of:
            report.profile_of = {row["uid"]: row["pid"] for row in tx.read("profile_of_records", uids=wanted)}
        return report

    return locked(graph, work, name="resolve_batch")


def _leased(
    graph: Graph, rules: MatchRules, *, full: bool, by: str, wait: float, engine: FullEngine | None = None
) -> ResolveReport:
    mode = "full" if full else "incremental"
    with Lease.take(graph, mode, wait=wait) as lease:
        fenced = lease.graph
        repaired = _repair(fenced, lease.previous) if lease.crashed else False
        full = full or repaired
        mode = "full" if full else "incremental"
        lease.journal(mode=mode)

        def intent(plan: profiles.Plan) -> None:
            # The plan's change-feed events go with its last transaction; journaled, a crash
            # before that one still gets them into the outbox (`_repair`).
            lease.journal(mode=mode, retire=plan.retire, changes=plan.changes)

        if full and engine is None:
            # The streaming rebuild claims as it pages through every record.
            report = _rebuild(fenced, rules, token=lease.owner, by=by, journal=intent)
        else:
            claimed: list[str] = []
            touched: Rows = []
            while True:
                rows = fenced.write("resolve_claim_pending", token=lease.owner, limit=CLAIM_BATCH)
                claimed.extend(row["uid"] for row in rows)
                touched.extend(rows)
                if len(rows) < CLAIM_BATCH:
                    break
            # Another engine partitions the facts of the in-memory full rebuild (_run with full).
            report = _run(
                fenced, rules, touched, claimed, token=lease.owner, full=full, by=by, journal=intent, engine=engine
            )
        report.repaired = lease.crashed
        return report


def _rebuild(
    graph: Graph,
    rules: MatchRules,
    *,
    token: str,
    by: str,
    journal: Callable[[profiles.Plan], None],
) -> ResolveReport:
    """The full rebuild, streamed (graph/identity/rebuild.py), then households, then `pending`."""
    now = datetime.now(UTC)
    report = rebuild.rebuild(graph, rules, now, by=by, prefix=PROFILE_PREFIX, token=token, journal=journal)
    timer = _Timer(report)
    address_cap = rules.kinds["address"].cap if "address" in rules.kinds else 12
    report.households = assign_households(graph, rules.households, address_cap, None)
    timer.lap("households")
    # Last: a run killed before this line leaves its records pending, and the next run redoes them.
    rebuild.clear_claimed(graph, token)
    timer.lap("clear")
    return report


def _repair(graph: Graph, previous: dict[str, Any]) -> bool:
    """What a crashed multi-transaction run left: finish the retirements it journaled (so merged
    ids stay aliases), drop profiles it created without records, mark records it left without a
    profile pending, and put the change-feed events it journaled into the outbox (those that did
    not land: the merges it finished would otherwise never be told). Its claimed records are
    still pending. True: redo a full run."""
    now = datetime.now(UTC)
    retire = previous.get("retire") or []
    for start in range(0, len(retire), profiles.BATCH):
        graph.write("resolve_retire_profiles", rows=retire[start : start + profiles.BATCH], now=now)
    graph.write("identity_repair_empty_profiles")
    graph.write("identity_repair_homeless_records")
    changes = previous.get("changes") or []
    if changes:
        graph.write_many(outbox.restage(changes, now))
    return bool(previous.get("mode") == "full")


def _run(
    graph: Graph,
    rules: MatchRules,
    touched: Rows,
    claimed: list[str],
    *,
    token: str,
    full: bool,
    by: str,
    journal: Callable[[profiles.Plan], None] | None = None,
    engine: FullEngine | None = None,
    answer: Sequence[str] = (),
) -> ResolveReport:
    """`answer`: records whose profile to read after the clear (`profile_of`), when that can
    be one statement with it; the caller reads the rest."""
    report = ResolveReport("full" if full else "incremental", claimed=len(claimed))
    timer = _Timer(report)
    now = datetime.now(UTC)
    evidence.derive_keys(graph, rules, touched, now)
    timer.lap("derive")
    if not full and not touched:
        return report
    if rules.scoring_on is not None:
        # New and changed records are scored before the scope is closed, so it follows their links.
        scorer = engine.score if engine is not None else score_records
        scored = scorer(graph, rules.scoring_on, [r["uid"] for r in touched if r["pending"]])
        report.scoring = scored.as_dict()
        timer.lap("score")
    clusters: list[list[int]] | None = None
    if full:
        facts = evidence.gather(graph, rules, None)
        if engine is None:
            verdicts = people.assess_facts(facts, rules)
        else:
            verdicts, clusters = engine.partition(graph, rules, facts)
    else:
        # Verdicts first: the scope must reach whatever an identifier released now links.
        verdicts = people.assess_records(graph, rules, [r["uid"] for r in touched])
        released = [key for key, _, _, now, stored in verdicts if stored and not now]
        facts = evidence.scope(graph, rules, (r["uid"] for r in touched), released)
    timer.lap("read")
    held = people.held_keys(facts, verdicts)
    if clusters is None:
        clusters = _cluster(facts, rules, held)
    report.records, report.clusters = len(facts.records), len(clusters)
    timer.lap("cluster")
    uids = [[facts.records[i].uid for i in members] for members in clusters]
    assignment, restricted = _assign(graph, facts, uids)
    timer.lap("ids")
    changed = _changed(facts, clusters, assignment)
    plan = profiles.build(graph, rules, facts, clusters, assignment, changed, by=by, restricted=restricted)
    report.written, report.conflicts = len(plan.profiles), plan.conflicts
    report.created = sum(1 for i in changed if _is_new(facts, clusters[i], assignment.ids[i]))
    report.merges, report.splits = len(assignment.merged), len(assignment.split_from)
    report.held_out = _held_out(facts, held)
    if journal is not None:
        journal(plan)
    # Their traits and segment membership are due: marked by the upsert (`due`).
    profiles.write(graph, plan, people.changes(verdicts), now, due=True)
    written = [p["pid"] for p in plan.profiles]
    timer.lap("write")
    address_cap = rules.kinds["address"].cap if "address" in rules.kinds else 12
    touched_pids = None if full else sorted({p["pid"] for p in plan.profiles})
    if full or touched_pids:
        report.households = assign_households(graph, rules.households, address_cap, touched_pids)
    timer.lap("households")
    # Last: a run killed before this line leaves its records pending, and the next run redoes them.
    if answer and len(claimed) <= evidence.CHUNK:
        # A micro-batch's usual case: the clear and the answer's profiles in one statement.
        rows = graph.write("resolve_clear_pending_answer", uids=claimed, token=token, answer=list(answer))
        report.profile_of = {row["uid"]: row["pid"] for row in rows}
    else:
        for part in evidence.chunks(claimed):
            graph.write("resolve_clear_pending", uids=part, token=token)
    timer.lap("clear")
    report.affected = written
    return report


def cluster_all(facts: evidence.Evidence, rules: MatchRules) -> list[list[int]]:
    """The clusters resolution computes for these facts (nothing written): the invariant checker's
    full rebuild. The facts hold every record, so every identifier is judged here afresh."""
    return _cluster(facts, rules, people.held_keys(facts, people.assess_facts(facts, rules)))


def _cluster(facts: evidence.Evidence, rules: MatchRules, held: set[str]) -> list[list[int]]:
    """Clusters from the evidence that links: strong identifiers not held out, steward links,
    fuzzy pairs and scored links; steward cannot-links cut."""
    strong = set(rules.strong)
    members: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(facts.records):
        for key, kind, _, _ in record.ids:
            if kind in strong and key not in held:
                members[key].append(i)
    pairs: list[tuple[int, int]] = []
    cannot: list[tuple[int, int]] = []
    scored: list[list[int]] = []
    use_scores = rules.scoring_on is not None  # scoring off: stored scored links are ignored
    for i, record in enumerate(facts.records):
        pairs.extend((i, facts.index[o]) for o in record.same if o in facts.index and facts.index[o] > i)
        cannot.extend((i, facts.index[o]) for o in record.cannot if o in facts.index and facts.index[o] > i)
        if use_scores:
            scored.extend([i, facts.index[o]] for o in record.scored if o in facts.index and facts.index[o] > i)
    pairs.extend((i, j) for i, j, _ in fuzzy_pairs(facts.records, rules))
    # A scored link is evidence like an identifier shared by exactly those two records: after
    # steward links, among the most specific evidence when a cannot-link forces a cut.
    groups = [members[key] for key in sorted(members)] + sorted(scored)
    return cluster(len(facts.records), groups, sorted(pairs), sorted(cannot))


def _assign(graph: Graph, facts: evidence.Evidence, uids: list[list[str]]) -> tuple[stable_ids.Assignment, set[str]]:
    """Stable ids for the clusters, and which of the records' current profiles are restricted."""
    old = {r.uid: r.pid for r in facts.records if r.pid is not None}
    old_pids = sorted(set(old.values()))
    candidates = {stable_ids.new_id(PROFILE_PREFIX, min(m), lambda _: False) for m in uids}
    ages, restricted, taken = evidence.id_state(graph, old_pids, candidates - set(old_pids))
    assignment = stable_ids.assign(
        uids,
        old,
        lambda pid: (ages.get(pid, "~"),),
        PROFILE_PREFIX,
        lambda pid: pid in taken or pid in ages,
    )
    return assignment, restricted


def _is_new(facts: evidence.Evidence, members: list[int], pid: str) -> bool:
    return all(facts.records[i].pid != pid for i in members)


def _changed(facts: evidence.Evidence, clusters: list[list[int]], assignment: stable_ids.Assignment) -> list[int]:
    """Clusters whose profile must be (re)written: new members, lost members, or changed records."""
    sizes = Counter(r.pid for r in facts.records if r.pid is not None)
    changed = []
    for index, members in enumerate(clusters):
        pid = assignment.ids[index]
        same = sizes.get(pid) == len(members) and all(
            facts.records[i].pid == pid and not facts.records[i].pending for i in members
        )
        if not same:
            changed.append(index)
    return changed


def _held_out(facts: evidence.Evidence, held: set[str]) -> list[tuple[str, int]]:
    seen = {(key, degree) for r in facts.records for key, _, degree, _ in r.ids if key in held}
    return sorted(seen, key=lambda item: (-item[1], item[0]))
