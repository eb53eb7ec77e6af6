"""The audit log records every steward decision, export, erasure, consent and restriction change;
restriction hides profiles from app-facing helpers and survives nothing but its own removal."""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from graph.connection import Graph
from graph.identity import load_rules, steward
from graph.privacy import PrivacyError, audit, restriction
from tests.graph.privacy.conftest import World, cypher, profile_of


def test_every_steward_decision_is_audited(graph: Graph, world: World) -> None:
    rules = load_rules()
    steward.link(graph, "crm:BOB-1", "crm:CARL-1", by="steward:sam", reason="same phone line", rules=rules)
    merged = profile_of(graph, "crm:BOB-1")
    steward.split(graph, merged, by="steward:kim", reason="two people", rules=rules)
    steward.set_golden(graph, world.ann, "city", "York", by="steward:kim", reason="moved", rules=rules)
    steward.set_golden(graph, world.ann, "city", None, by="steward:kim", rules=rules)
    actions = [e["action"] for e in audit.query(graph, action="steward")]
    # The world's own unlink comes first.
    assert actions == ["steward.unlink", "steward.link", "steward.split", "steward.golden", "steward.golden"]
    link = audit.query(graph, action="steward.link")[0]
    assert link["actor"] == "steward:sam" and link["reason"] == "same phone line"
    assert link["target"] == [merged] and link["details"] == {"records": ["crm:BOB-1", "crm:CARL-1"]}
    assert [e["actor"] for e in audit.query(graph, actor="steward:kim")] == ["steward:kim"] * 3
    # Rectification keeps who and why on the override itself too.
    assert audit.query(graph, action="steward.golden", subjects=[world.ann])[0]["reason"] == "moved"


def test_audit_filters_and_jsonl_export(graph: Graph) -> None:
    old = datetime.now(UTC) - timedelta(days=10)
    audit.record(graph, actor="a", action="subject.export", target="P-1", at=old)
    audit.record(graph, actor="b", action="subject.erase", target=["erased:1"], details={"records": 2})
    assert [e["actor"] for e in audit.query(graph)] == ["a", "b"]
    assert [e["actor"] for e in audit.query(graph, since=old + timedelta(days=1))] == ["b"]
    assert [e["actor"] for e in audit.query(graph, action="subject")] == ["a", "b"]
    assert audit.query(graph, action="subj") == []
    assert [e["actor"] for e in audit.query(graph, subjects=["P-1"])] == ["a"]
    assert len(audit.query(graph, limit=1)) == 1
    stream = io.StringIO()
    assert audit.write_jsonl(audit.query(graph), stream) == 2
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert set(lines[1]) == {"id", "at", "actor", "action", "target", "reason", "details"}
    assert lines[1]["details"] == {"records": 2} and lines[0]["at"].startswith(old.date().isoformat())


def test_restriction_set_clear_and_filter(graph: Graph, world: World) -> None:
    assert restriction.restrict(graph, world.bob, by="admin:erin", reason="objection") == world.bob
    row = cypher(graph, "MATCH (p:Profile {pid: $pid}) RETURN p.restricted AS r, p.restricted_by AS by", pid=world.bob)
    assert row == [{"r": True, "by": "admin:erin"}]
    assert restriction.visible(graph, [world.carl, world.bob, world.ann]) == [world.carl, world.ann]
    assert restriction.restricted_among(graph, [world.bob, world.ann]) == {world.bob}
    restriction.unrestrict(graph, world.bob, by="admin:erin")
    assert cypher(graph, "MATCH (p:Profile {pid: $pid}) RETURN p.restricted IS NULL AS cleared", pid=world.bob) == [
        {"cleared": True}
    ]
    assert [e["action"] for e in audit.query(graph, action="restriction")] == ["restriction.set", "restriction.clear"]
    with pytest.raises(PrivacyError, match="no such profile"):
        restriction.restrict(graph, "P-missing", by="admin:erin")


def test_restriction_follows_records_through_merge_and_split(graph: Graph, world: World) -> None:
    rules = load_rules()
    restriction.restrict(graph, world.bob, by="admin:erin", reason="objection")
    steward.link(graph, "crm:BOB-1", "crm:CARL-1", by="steward:sam", rules=rules)
    merged = profile_of(graph, "crm:BOB-1")
    assert profile_of(graph, "crm:CARL-1") == merged
    assert restriction.restricted_among(graph, [merged]) == {merged}
    steward.split(graph, merged, by="steward:kim", rules=rules)
    parts = {profile_of(graph, "crm:BOB-1"), profile_of(graph, "crm:CARL-1")}
    assert len(parts) == 2
    assert restriction.restricted_among(graph, sorted(parts)) == parts
    # An unrestricted profile stays unrestricted through the same re-clustering.
    assert restriction.restricted_among(graph, [world.ann]) == set()
