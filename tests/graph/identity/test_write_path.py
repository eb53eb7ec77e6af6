"""The write path under concurrency and crashes, against the real Neo4j: one writer of identity
(the lock in Neo4j), group-committed micro-batches, leases with repair, and the invariants."""

import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from c360.settings import Settings
from graph.connection import Graph
from graph.identity import invariants, load_rules, resolve, steward
from graph.identity.batching import MicroBatcher, Overloaded
from graph.identity.lock import Lease, LeaseBusy
from graph.identity.resolve import resolve_batch
from loaders.engine import Engine
from tests.graph.identity.conftest import Loader, load_dir, profile_of

RULES = load_rules()
ROOT = Path(__file__).resolve().parents[3]


def people(n: int, prefix: str = "p") -> list[dict[str, str]]:
    return [
        {"source_id": f"{prefix}{i}", "email": f"{prefix}{i}@x.org", "phone": f"+4479111{i:05d}", "first_name": "Al"}
        for i in range(n)
    ]


def engine(tmp_path: Path, **batcher: float) -> Engine:
    return Engine(
        rules=RULES,
        suppression_key=b"k" * 32,
        quarantine_dir=tmp_path,
        batcher=MicroBatcher(**batcher),  # type: ignore[arg-type]
    )


def event(n: int, a: int, b: int) -> dict[str, str]:
    """A new person record with the email of one existing person and the phone of another."""
    return {"source_id": f"ev{n}", "email": f"p{a}@x.org", "phone": f"+4479111{b:05d}", "last_name": f"E{n}"}


def assert_invariants(graph: Graph) -> None:
    found = invariants.check(graph, RULES)
    assert not found, found.summary()


def test_invariant_checker_sees_each_defect(graph: Graph, load_csv: Loader) -> None:
    load_csv(people(3))
    assert invariants.check(graph, RULES).pending == ["crm:p0", "crm:p1", "crm:p2"]
    resolve(graph, RULES)
    assert_invariants(graph)
    graph.driver.execute_query(
        "CREATE (:Profile {pid: 'P-empty'}) WITH 1 AS x MATCH (c:Customer {uid: 'crm:p1'}) "
        "MATCH (p:Profile)-[:HAS_RECORD]->(:Customer {uid: 'crm:p0'}) MERGE (p)-[:HAS_RECORD]->(c)",
        database_=graph.database,
    )
    found = invariants.check(graph, RULES)
    assert found.empty_profiles == ["P-empty"]
    assert found.in_several == ["crm:p1"]
    assert found.partition_differs  # p0 and p1 share a profile without evidence


def test_events_wait_for_their_micro_batch_and_get_final_ids(graph: Graph, load_csv: Loader, tmp_path: Path) -> None:
    load_csv(people(4))
    resolve(graph, RULES)
    result = engine(tmp_path).ingest(graph, "customers", event(1, 0, 1))
    # The event joins p0 (email) and p1 (phone): one profile, returned and final.
    assert result["profile_ids"] == [profile_of(graph, "crm:p0")] == [profile_of(graph, "crm:p1")]
    assert profile_of(graph, "customers:ev1") == result["profile_ids"][0]
    assert_invariants(graph)


def test_many_threads_events_load_and_steward_at_once(graph: Graph, load_csv: Loader, tmp_path: Path) -> None:
    load_csv(people(12))
    resolve(graph, RULES)
    eng = engine(tmp_path, wait_seconds=120)
    errors: list[BaseException] = []
    answers: dict[str, list[str]] = {}

    def send(worker: int) -> None:
        try:
            for k in range(10):
                n = worker * 100 + k
                answers[f"customers:ev{n}"] = eng.ingest(graph, "customers", event(n, (n * 7) % 12, (n * 5 + 3) % 12))[
                    "profile_ids"
                ]
        except BaseException as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    def load_more() -> None:
        try:
            load_csv(people(150, "b") + [{"source_id": "b-link", "email": "p3@x.org"}])
            resolve(graph, RULES)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    def stewards() -> None:
        try:
            for i in range(4):
                steward.unlink(graph, f"crm:p{i}", f"crm:p{i + 4}", by="test", reason="race", rules=RULES)
                steward.link(graph, f"crm:p{i + 8}", f"crm:p{i}", by="test", reason="race", rules=RULES)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(w,)) for w in range(8)]
    threads += [threading.Thread(target=load_more), threading.Thread(target=stewards)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [], [f"{type(e).__name__}: {e}" for e in errors]
    assert len(answers) == 80 and all(len(ids) >= 1 for ids in answers.values())
    assert eng.batcher.stats.batches < 80  # group commit: fewer batches than events
    assert_invariants(graph)


def test_a_live_lease_holds_off_micro_batches_and_an_abandoned_one_is_repaired(
    graph: Graph, load_csv: Loader, tmp_path: Path
) -> None:
    load_csv(people(3))
    resolve(graph, RULES)
    lease = Lease.take(graph, "incremental", ttl=60)
    load_csv([{"source_id": "late", "email": "p0@x.org"}])
    with pytest.raises(LeaseBusy) as busy:
        resolve_batch(graph, RULES)
    assert not busy.value.crashed
    with pytest.raises(Overloaded) as overloaded:
        engine(tmp_path, wait_seconds=0.5).ingest(graph, "customers", event(1, 0, 1))
    assert overloaded.value.status == 503 and overloaded.value.retry_after >= 1
    # The holder "crashes": it created a profile without records and journaled a retirement.
    p0 = profile_of(graph, "crm:p0")
    p1 = profile_of(graph, "crm:p1")
    lease.journal(mode="incremental", retire=[{"old": p1, "new": p0}])
    graph.driver.execute_query("CREATE (:Profile {pid: 'P-orphan'})", database_=graph.database)
    lease._stop.set()  # the heartbeat dies with the process
    now = datetime.now(UTC)
    graph.write("identity_lease_renew", owner=lease.owner, expires=now - timedelta(seconds=1))
    report = resolve(graph, RULES)
    assert report.repaired
    # p1's profile was journaled as merged into p0's: it is an alias now, its record re-resolved.
    assert steward.profile_id(graph, p1) == profile_of(graph, "crm:p1")
    assert graph.write("identity_lease_release", owner=lease.owner) == [{"released": 0}]
    assert_invariants(graph)


def test_backlog_over_the_limit_is_refused_with_429(graph: Graph, tmp_path: Path) -> None:
    eng = engine(tmp_path, max_pending=5)
    eng.batcher.observe_pending(6)
    with pytest.raises(Overloaded) as refused:
        eng.ingest(graph, "customers", event(1, 0, 1))
    assert refused.value.status == 429
    assert graph.read("profile_of_records", uids=["customers:ev1"])[0]["exists"] is False


KILLER = """
import os, signal, sys
from c360.runtime import connect
from c360.settings import Settings
from graph.identity import first_build, lock, profiles, resolve, load_rules

lock.LEASE_SECONDS = 5.0
profiles.BATCH = 50
first_build.BATCH = 50  # a first build in many transactions, committed behind by a thread of its own
after = int(sys.argv[1])
original = lock._Fenced.write_many
calls = [0]

def write_many(self, steps):
    calls[0] += 1
    if calls[0] == after:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(self, steps)

lock._Fenced.write_many = write_many
resolve(connect(Settings(), start=False), load_rules(), full=sys.argv[2] in ("full", "first"))
print("finished", calls[0])
"""


@pytest.mark.parametrize(("mode", "after"), [("incremental", 25), ("full", 12), ("incremental", 8), ("first", 12)])
def test_kill_9_mid_resolution_is_repaired_by_the_next_run(
    graph: Graph, settings: Settings, sample: Path, tmp_path: Path, mode: str, after: int
) -> None:
    load_dir(graph, sample, tmp_path / "q.jsonl")
    if mode == "full":
        resolve(graph, RULES)
        # Rules that merge more: the full rebuild has a lot to move when it is killed.
        graph.driver.execute_query("MATCH (c:Customer) SET c.pending = true", database_=graph.database)
    env = os.environ | {
        "C360_HOME": str(settings.home),
        "C360_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "C360_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
    }
    done = subprocess.run(
        [sys.executable, "-c", KILLER, str(after), mode], env=env, cwd=ROOT, capture_output=True, timeout=600
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]
    assert invariants.check(graph, RULES, partition=False).pending  # it died before finishing
    if mode == "first":
        # Killed between the first build's batches: some profiles committed, not all. The next
        # run is no first build any more and finishes with the general writer.
        written = graph.driver.execute_query("MATCH (p:Profile) RETURN count(p) AS n", database_=graph.database)
        assert 0 < written.records[0]["n"] < 2_000
    report = resolve(graph, RULES, wait=120)
    assert report.repaired
    assert_invariants(graph)


KILL_AT = """
import os, signal, sys
from c360.runtime import connect
from c360.settings import Settings
from graph.identity import lock, profiles, resolve, load_rules

lock.LEASE_SECONDS = 5.0
profiles.BATCH = 10
sys.modules["graph.identity.resolve"].MICRO_LIMIT = 0  # under the lease, in several transactions
statement, nth = sys.argv[1], int(sys.argv[2])
original = lock._Fenced.write_many
seen = [0]

def write_many(self, steps):
    if any(name == statement for name, _ in steps):
        seen[0] += 1
        if seen[0] == nth:
            os.kill(os.getpid(), signal.SIGKILL)
    return original(self, steps)

lock._Fenced.write_many = write_many
resolve(connect(Settings(), start=False), load_rules())
print("finished")
"""


def test_merges_of_a_killed_run_still_reach_the_change_feed(graph: Graph, settings: Settings, load_csv: Loader) -> None:
    load_csv(people(40))
    resolve(graph, RULES)
    # Each link record joins p(2i) (email) and p(2i+1) (phone): 20 merges, written in many
    # transactions whose events go with the last; the run dies re-pointing records.
    load_csv(
        [{"source_id": f"l{i}", "email": f"p{2 * i}@x.org", "phone": f"+4479111{2 * i + 1:05d}"} for i in range(20)]
    )
    env = os.environ | {
        "C360_HOME": str(settings.home),
        "C360_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "C360_NEO4J_HTTP_PORT": str(settings.neo4j_http_port),
    }
    done = subprocess.run(
        [sys.executable, "-c", KILL_AT, "resolve_assign_records", "3"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]
    before = graph.driver.execute_query(
        "MATCH (e:ChangeEvent {type: 'profile.merged'}) RETURN count(e) AS n", database_=graph.database
    ).records[0]["n"]
    assert before == 0  # the events' transaction never ran
    assert resolve(graph, RULES, wait=120).repaired
    aliases = graph.driver.execute_query("MATCH (a:ProfileAlias) RETURN a.pid AS pid", database_=graph.database)
    told = graph.driver.execute_query(
        "MATCH (e:ChangeEvent {type: 'profile.merged'}) UNWIND e.profile_ids AS pid "
        "RETURN collect(DISTINCT pid) AS ids",
        database_=graph.database,
    )
    retired = {r["pid"] for r in aliases.records}
    assert len(retired) == 20
    assert retired <= set(told.records[0]["ids"])
    merged = graph.driver.execute_query(
        "MATCH (e:ChangeEvent {type: 'profile.merged'}) RETURN count(e) AS n", database_=graph.database
    )
    assert merged.records[0]["n"] == 20  # each merge told once: the redo does not tell it again
    assert_invariants(graph)
