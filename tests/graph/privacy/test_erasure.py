"""Erasure that sticks: nothing of the person anywhere in the graph, and reloads skip them."""

import json
from typing import Any

import pytest
from pydantic import SecretStr

from c360 import keyfile
from c360.settings import Settings
from graph import segments
from graph.connection import Graph
from graph.identity import load_rules, resolve, steward
from graph.privacy import audit, erasure, subject, suppression
from loaders.suppression import Suppression
from tests.graph.privacy.conftest import (
    ANN_EMAIL,
    ANN_PHONE,
    ANN_UIDS,
    SECRET,
    SHARED_PHONE,
    Loader,
    World,
    cypher,
    load_world,
    profile_of,
)

# What must not survive anywhere: her identifiers (normalized and as typed), names, record and
# profile ids. Her surname stays legitimately: Bob Zebedee lives on.
GONE = [ANN_EMAIL, ANN_PHONE, "07911 271828", "Annabelle", "ANN-1", "ANN-S1", "REQ-ANN", "O-ANN"]


def _everything(graph: Graph) -> list[str]:
    """Every property of every node and relationship, as text."""
    rows = cypher(
        graph,
        "MATCH (n) RETURN labels(n) AS what, properties(n) AS props "
        "UNION ALL MATCH ()-[r]->() RETURN [type(r)] AS what, properties(r) AS props",
    )
    return [json.dumps(row, default=str, ensure_ascii=False).casefold() for row in rows]


def _leaks(graph: Graph, needles: list[str]) -> list[str]:
    # The one exception: the change feed's erasure notice names the erased profile ids (ids only),
    # so that consumers holding copies know what to delete.
    notice = '"type": "profile.erased"'
    return [
        text for text in _everything(graph) for needle in needles if needle.casefold() in text and notice not in text
    ]


def _erase(graph: Graph, world: World, mode: str = "delete") -> erasure.ErasureReport:
    person = subject.find(graph, f"email:{ANN_EMAIL.upper()}")
    assert person.pids == [world.ann] and person.uids == sorted(ANN_UIDS)
    return erasure.erase(
        graph,
        person,
        secret=SECRET,
        rules=load_rules(),
        actor="admin:erin",
        reason="GDPR art. 17 request",
        touchpoints=mode,
    )  # type: ignore[arg-type]


def _seed_history(graph: Graph, world: World) -> None:
    """Audit entries and overrides that name her: an export, a golden override with her name."""
    subject.export(graph, subject.of_profile(graph, world.ann), actor="admin:erin", reason="access request")
    steward.set_golden(
        graph,
        world.ann,
        "first_name",
        "Annabelle",
        by="steward:sam",
        reason="Annabelle called to correct it",
        rules=load_rules(),
    )


@pytest.mark.parametrize("mode", ["delete", "anonymize"])
def test_nothing_of_the_person_is_left_anywhere(graph: Graph, world: World, mode: str) -> None:
    _seed_history(graph, world)
    assert _leaks(graph, GONE)  # the scan does find her before
    report = _erase(graph, world, mode)
    assert (report.profiles, report.records) == (1, 3)
    assert report.identifiers >= 3  # email, own phone, derived name+birth date key
    assert report.touchpoints == 3  # two orders, one ticket
    assert report.events_scrubbed >= 1  # Carl's history named her records
    assert report.audit_scrubbed >= 2
    assert _leaks(graph, GONE + [world.ann]) == []
    remaining = cypher(
        graph, "MATCH (t:Touchpoint) RETURN t.uid AS uid, t.channel AS channel, COUNT { (t)--() } AS links ORDER BY uid"
    )
    if mode == "delete":
        assert [row["uid"] for row in remaining] == ["shop:O-CARL-1"]
    else:
        anonymous = [row for row in remaining if row["uid"].startswith("anonymized:")]
        assert len(anonymous) == 3 and all(row["links"] == 0 for row in anonymous)


def test_others_keep_their_data_and_are_re_resolved(graph: Graph, world: World) -> None:
    _erase(graph, world)
    carl = profile_of(graph, "crm:CARL-1")
    assert carl == profile_of(graph, "shop:CARL-S1")
    assert cypher(
        graph, "MATCH (:Identifier {key: $key})<-[:HAS_IDENTIFIER]-(c) RETURN c.uid AS uid", key=f"phone:{SHARED_PHONE}"
    ) == [{"uid": "crm:CARL-1"}]  # shared: Carl's now, kept
    bob = cypher(
        graph,
        "MATCH (p:Profile)-[:HAS_RECORD]->(:Customer {uid: 'crm:BOB-1'}) "
        "OPTIONAL MATCH (p)-[:IN_HOUSEHOLD]->(h) RETURN p.pid AS pid, h.size AS size",
    )
    assert len(bob) == 1 and bob[0]["size"] in (None, 1)  # Bob left alone, never with a ghost member
    assert cypher(graph, "MATCH (c:Customer) WHERE c.pending RETURN c.uid AS uid") == []
    assert cypher(graph, "MATCH (n:Consent) RETURN count(n) AS n") == [{"n": 0}]


def test_the_erasure_audit_entry_holds_no_personal_data(graph: Graph, world: World) -> None:
    report = _erase(graph, world)
    [entry] = audit.query(graph, action="subject.erase")
    assert entry["id"] == report.audit_id and entry["actor"] == "admin:erin"
    assert entry["details"]["records"] == 3 and entry["reason"] == "GDPR art. 17 request"
    assert all(target.startswith("erased:") for target in entry["target"])
    text = json.dumps(entry).casefold()
    assert not [needle for needle in GONE + ["zebedee", world.ann] if needle.casefold() in text]


def test_a_reload_of_the_sources_does_not_bring_the_person_back(graph: Graph, world: World, load_rows: Loader) -> None:
    _erase(graph, world)
    before = cypher(graph, "MATCH (n) RETURN count(n) AS n")
    check = Suppression(graph, SECRET)
    assert check.active
    summaries = load_world(load_rows, suppress=check)
    # Her CRM row, shop row, ticket, two orders and consent are skipped; everyone else's rows land.
    assert sum(s.rows_suppressed for s in summaries) == 6
    assert summaries[0].as_dict()["rows_suppressed"] == 1
    resolve(graph, load_rules())
    assert cypher(graph, "MATCH (n) RETURN count(n) AS n") == before
    assert _leaks(graph, GONE) == []


def test_suppression_stores_keyed_hashes_only(graph: Graph, world: World) -> None:
    _erase(graph, world)
    hashes = cypher(graph, "MATCH (s:Suppression) RETURN s.hash AS hash")
    # Three records, her email, her own phone and her derived name + birth date and name +
    # address keys; not the shared phone (Carl's now) nor the address (Bob's too), which would
    # suppress them.
    assert len(hashes) == 7
    assert suppression.digest(SECRET, f"email:{ANN_EMAIL}") in {row["hash"] for row in hashes}
    assert suppression.digest(b"another key", f"email:{ANN_EMAIL}") not in {row["hash"] for row in hashes}
    other = Suppression(graph, b"another key")
    assert other.active and not other.raw("crm", {"email": ANN_EMAIL})
    assert Suppression(graph, SECRET).raw("crm", {"email": ANN_EMAIL})


def test_the_suppression_key_is_generated_once_with_mode_0600(tmp_path: Any, settings: Settings) -> None:
    config = settings.model_copy(update={"home": tmp_path})
    first = keyfile.suppression_key(config)
    assert (tmp_path / suppression.KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert keyfile.suppression_key(config) == first and len(first) == 64
    given = config.model_copy(update={"suppression_key": SecretStr("s3cret")})
    assert keyfile.suppression_key(given) == b"s3cret"


def test_nobody_erased_means_no_check(graph: Graph) -> None:
    assert not Suppression(graph, SECRET).active


def test_the_audit_entry_commits_with_the_deletes_or_nothing_does(
    graph: Graph, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_entry = audit.entry

    def unwritable(**kwargs: Any) -> dict[str, Any]:
        # A map is no property value: Neo4j refuses the entry, as it would a full disk.
        return real_entry(**kwargs) | {"details": {"not": "storable"}}

    monkeypatch.setattr(audit, "entry", unwritable)
    person = subject.find(graph, f"email:{ANN_EMAIL}")
    with pytest.raises(Exception, match="(?i)propert"):
        erasure.erase(graph, person, secret=SECRET, rules=load_rules(), actor="admin:erin")
    # Nothing was erased without its audit entry: the deletes rolled back with it.
    assert cypher(graph, "MATCH (c:Customer) WHERE c.uid IN $uids RETURN c.uid AS uid", uids=ANN_UIDS) == [
        {"uid": uid} for uid in ANN_UIDS
    ]
    assert cypher(graph, "MATCH (s:Suppression) RETURN count(s) AS n") == [{"n": 0}]
    assert audit.query(graph, action="subject.erase") == []
    monkeypatch.undo()
    report = _erase(graph, world)
    [entry] = audit.query(graph, action="subject.erase")
    assert entry["id"] == report.audit_id and entry["details"]["records"] == 3
    assert cypher(graph, "MATCH (c:Customer) WHERE c.uid IN $uids RETURN c.uid AS uid", uids=ANN_UIDS) == []


def test_segment_membership_and_history_keep_no_id_of_the_person(graph: Graph, world: World) -> None:
    segments.save(graph, "reachable", {"where": {"has_identifier": "email"}}, by="test")
    assert world.ann in segments.members(graph, "reachable", 10, None)
    before = segments.get(graph, "reachable")["size"]
    # An earlier merge's exit record that names her profile as the survivor.
    cypher(
        graph,
        "CREATE (:SegmentChange {segment: 'reachable', pid: 'P-gone', kind: 'exit', at: datetime(), "
        "merged_into: $pid})",
        pid=world.ann,
    )
    report = _erase(graph, world)
    assert report.segment_changes_scrubbed == 3  # her entry, her exit with the erasure, the merge record
    assert _leaks(graph, GONE + [world.ann]) == []
    assert segments.get(graph, "reachable")["size"] == before - 1
    assert world.ann not in segments.members(graph, "reachable", 10, None)
    pseudonym = erasure._pseudonym(SECRET, world.ann)
    history = cypher(
        graph,
        "MATCH (c:SegmentChange {segment: 'reachable'}) WHERE c.pid = $p OR c.merged_into = $p "
        "RETURN c.pid AS pid, c.kind AS kind, c.erased AS erased ORDER BY kind, pid",
        p=pseudonym,
    )
    assert history == [
        {"pid": pseudonym, "kind": "entry", "erased": None},
        {"pid": "P-gone", "kind": "exit", "erased": None},
        {"pid": pseudonym, "kind": "exit", "erased": True},
    ]
