"""Access export: one document with everything held about the person. Retention: old
touchpoints purged per channel."""

import json
from datetime import UTC, datetime

import pytest

from graph.connection import Graph
from graph.identity import load_rules, resolve
from graph.privacy import PrivacyError, audit, retention, subject
from tests.graph.privacy.conftest import ANN_EMAIL, ANN_UIDS, Loader, World, cypher


def test_export_holds_everything_about_the_person(graph: Graph, world: World) -> None:
    person = subject.find(graph, "phone:07911 271828")
    assert person.pids == [world.ann] and person.uids == sorted(ANN_UIDS) and person.identifier_kind == "phone"
    document = subject.export(graph, person, actor="admin:erin", reason="art. 15 request")
    json.dumps(document)  # plain JSON all the way down
    [profile] = document["profiles"]
    assert profile["profile_id"] == world.ann and sorted(profile["records"]) == sorted(ANN_UIDS)
    assert "unlink" in {e["kind"] for e in profile["merge_history"]}
    assert profile["households"] and profile["consents"][0]["status"] == "granted"
    records = {r["uid"]: r for r in document["records"]}
    assert json.loads(records["crm:ANN-1"]["record"]["raw"])["email"] == ANN_EMAIL
    assert {i["key"] for i in records["crm:ANN-1"]["identifiers"]} >= {f"email:{ANN_EMAIL}"}
    assert {t["uid"] for t in records["shop:ANN-S1"]["touchpoints"]} == {"shop:O-ANN-1", "shop:O-ANN-2"}
    assert records["crm:ANN-1"]["consents"][0]["evidence"] == "signup form"
    assert records["shop:ANN-S1"]["steward_decisions"][0]["other"] == "crm:CARL-1"
    assert [e["action"] for e in document["audit_trail"]] == ["steward.unlink"]
    [entry] = audit.query(graph, action="subject.export")
    assert entry["id"] == document["export_id"] and entry["target"] == [world.ann]
    assert entry["details"] == {"found_by": "phone", "profiles": 1, "records": 3}
    assert ANN_EMAIL not in json.dumps(entry)
    again = subject.export(graph, subject.of_profile(graph, world.ann), actor="admin:erin")
    assert [e["action"] for e in again["audit_trail"]] == ["steward.unlink", "subject.export"]


@pytest.mark.parametrize(
    "identifier, message",
    [
        ("email:nobody@example.com", "no data held"),
        ("nonsense", "expected KIND:VALUE"),
        ("email:not-an-email", "invalid email"),
    ],
)
def test_unknown_or_malformed_identifiers(graph: Graph, world: World, identifier: str, message: str) -> None:
    with pytest.raises(PrivacyError, match=message):
        subject.find(graph, identifier)


def test_a_held_out_identifier_names_no_one(graph: Graph, load_rows: Loader) -> None:
    callers = [
        {"source_id": f"CC-{n}", "first_name": "Caller", "last_name": f"Name{'xyzw'[n % 4] * n}"} for n in range(8)
    ]
    # Eight different people on one call-centre phone.
    load_rows(
        [caller | {"phone": "+447911123457", "birth_date": f"19{60 + n}-01-01"} for n, caller in enumerate(callers)]
    )
    resolve(graph, load_rules())
    with pytest.raises(PrivacyError, match="shared by 8 records"):
        subject.find(graph, "phone:+447911123457")


def test_retention_purges_old_touchpoints_per_channel(graph: Graph, world: World) -> None:
    config = {"shop": 80, "web": 30}
    now = datetime(2024, 5, 1, tzinfo=UTC)  # shop cutoff: 11 Feb 2024, 00:00
    assert retention.apply(graph, {}) == {}
    assert retention.apply(graph, config, now=now, dry_run=True) == {"shop": 2, "web": 0}
    assert cypher(graph, "MATCH (t:Touchpoint) RETURN count(t) AS n") == [{"n": 4}]
    assert retention.apply(graph, config, now=now, actor="cron") == {"shop": 2, "web": 0}
    left = cypher(graph, "MATCH (t:Touchpoint) RETURN t.uid AS uid ORDER BY uid")
    assert [row["uid"] for row in left] == ["shop:O-CARL-1", "support:T-ANN-1"]
    [entry] = audit.query(graph, action="retention.apply")
    assert entry["actor"] == "cron" and entry["details"]["removed"] == {"shop": 2, "web": 0}
