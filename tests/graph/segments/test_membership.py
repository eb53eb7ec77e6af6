"""Segments on the real graph: preview equals hand-written Cypher, membership is materialized and
kept current after resolution with entries and exits recorded; restricted profiles and people
without the required consent are never members; hostile values are only values."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from graph import segments
from graph.changes import events as ev
from graph.changes import outbox
from graph.connection import Graph
from graph.identity import load_rules, resolve, steward
from graph.privacy import consent, restriction
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, load
from loaders.quarantine import Quarantine
from tests.graph.traits.conftest import Feed, profile

NOW = datetime.now(UTC)


def _at(days: float) -> str:
    return (NOW - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _world(feed: Feed) -> None:
    feed(
        "shop_customers",
        [
            {"customer_id": f"S-{i}", "email": f"p{i}@example.org", "first_name": name, "address": {"city": city}}
            for i, (name, city) in enumerate(
                [("Ann", "Leeds"), ("Bob", "Leeds"), ("Cy", "York"), ("Di", "x' OR 1=1 //")], 1
            )
        ],
    )
    orders = [("S-1", 10), ("S-1", 40), ("S-2", 20), ("S-3", 300), ("S-3", 200), ("S-4", 5)]
    feed(
        "shop_orders",
        [
            {"order_id": f"O-{n}", "customer_id": c, "ordered_at": _at(d), "total": 10, "currency": "GBP"}
            for n, (c, d) in enumerate(orders)
        ],
    )


TWO_RECENT = {"where": {"behaviour": {"type": "order", "min": 2, "within_days": 90}}}


def _pids(graph: Graph, *uids: str) -> list[str]:
    return sorted(profile(graph, uid)["pid"] for uid in uids)


def _hand(graph: Graph, text: str, **params: Any) -> list[str]:
    return sorted(r["pid"] for r in graph.driver.execute_query(text, params, database_=graph.database).records)


@pytest.fixture
def people(graph: Graph, feed: Feed) -> Graph:
    _world(feed)
    resolve(graph, load_rules())
    return graph


def test_preview_matches_hand_written_cypher(people: Graph) -> None:
    graph = people
    preview = segments.preview(graph, TWO_RECENT)
    hand = _hand(
        graph,
        "MATCH (p:Profile) WHERE COUNT { MATCH (p)-[:HAS_RECORD]->()-[:HAD_TOUCHPOINT]->(t:Touchpoint {type: 'order'}) "
        "WHERE t.at >= datetime() - duration({days: 90}) RETURN DISTINCT t } >= 2 RETURN p.pid AS pid",
    )
    assert preview.size == len(hand) == 1 and preview.sample == hand == _pids(graph, "shop:S-1")
    leeds_not_new = {
        "where": {
            "and": [
                {"golden": "city", "op": "eq", "value": "Leeds"},
                {"not": {"trait": "order_count", "op": "gte", "value": 2}},
            ]
        }
    }
    assert segments.preview(graph, leeds_not_new).sample == _pids(graph, "shop:S-2")
    # A hostile value is a value: it matches the one person whose city is that text, and nothing else.
    hostile = {"where": {"golden": "city", "op": "eq", "value": "x' OR 1=1 //"}}
    assert segments.preview(graph, hostile).sample == _pids(graph, "shop:S-4")
    lapsed = {"where": {"behaviour": {"type": "order", "max": 0, "within_days": 100}}}
    assert segments.preview(graph, lapsed).sample == _pids(graph, "shop:S-3")
    assert segments.preview(graph, {"where": {"has_identifier": "loyalty"}}).size == 0
    assert segments.preview(graph, {"where": {"has_identifier": "email"}}).size == 4


def test_membership_is_kept_current_and_changes_are_recorded(people: Graph, feed: Feed) -> None:
    graph = people
    start = outbox.head(graph)
    saved = segments.save(graph, "two-recent", TWO_RECENT, by="test")
    assert saved["size"] == 1
    assert segments.members(graph, "two-recent", 10, None) == _pids(graph, "shop:S-1")
    # Bob's second order arrives: resolution's hook refreshes his traits and his membership.
    feed(
        "shop_orders", [{"order_id": "O-9", "customer_id": "S-2", "ordered_at": _at(1), "total": 5, "currency": "GBP"}]
    )
    resolve(graph, load_rules())
    assert segments.members(graph, "two-recent", 10, None) == _pids(graph, "shop:S-1", "shop:S-2")
    changes = graph.read("segment_changes", segment="two-recent", since=NOW - timedelta(days=1))
    assert [(c["pid"], c["kind"]) for c in changes][-1] == (profile(graph, "shop:S-2")["pid"], "entry")
    # Restricted: out of every read at once, and out of the materialized membership on refresh.
    ann = profile(graph, "shop:S-1")["pid"]
    restriction.restrict(graph, ann, by="test", reason="objection")
    assert ann not in segments.members(graph, "two-recent", 10, None)
    assert ann not in segments.preview(graph, TWO_RECENT).sample
    assert segments.refresh_segment(graph, "two-recent") == (0, 1)
    assert segments.get(graph, "two-recent")["size"] == 1
    assert segments.delete(graph, "two-recent") == 1
    kinds = [c["kind"] for c in graph.read("segment_changes", segment="two-recent", since=NOW - timedelta(days=1))]
    assert kinds == ["entry", "entry", "exit", "exit"]
    # The same entries and exits are change-feed events, in order, naming the segment only.
    moves = outbox.page(graph, start, 100, types=[ev.SEGMENT_ENTERED, ev.SEGMENT_EXITED])
    assert [e["type"] for e in moves] == [ev.SEGMENT_ENTERED] * 2 + [ev.SEGMENT_EXITED] * 2
    assert all("two-recent" in str(e["data"]) for e in moves)
    # Lifecycle stages reached the feed with the traits that set them: the last event per
    # profile names its current stage.
    stages = {e["profile_id"]: e["data"] for e in outbox.page(graph, 0, 1000, types=[ev.LIFECYCLE_CHANGED])}
    bob = profile(graph, "shop:S-2")
    assert bob["trait_lifecycle"] and bob["trait_lifecycle"] in str(stages[bob["pid"]])
    with pytest.raises(segments.SegmentError):
        segments.get(graph, "two-recent")


def test_required_consent_is_applied(people: Graph) -> None:
    graph = people
    bob = profile(graph, "shop:S-2")["pid"]
    cy = profile(graph, "shop:S-3")["pid"]
    consent.set(graph, bob, "marketing", "email", "granted", by="test")
    consent.set(graph, cy, "marketing", "email", "granted", by="test")
    consent.set(graph, cy, "marketing", "email", "withdrawn", by="test", at=datetime.now(UTC) + timedelta(seconds=5))
    everyone = {"where": {"has_identifier": "email"}, "consent": {"purpose": "marketing", "channel": "email"}}
    assert segments.preview(graph, everyone).sample == [bob]
    assert segments.save(graph, "mailable", everyone, by="test")["size"] == 1


def test_a_merged_away_profile_exit_is_recorded(people: Graph) -> None:
    graph = people
    segments.save(graph, "buyers", {"where": {"trait": "order_count", "op": "gte", "value": 1}}, by="test")
    ann, bob = profile(graph, "shop:S-1")["pid"], profile(graph, "shop:S-2")["pid"]
    graph.write("steward_link", a="shop:S-1", b="shop:S-2", by="test", reason="same", now=NOW)
    resolve(graph, load_rules())
    survivor = profile(graph, "shop:S-1")["pid"]
    gone = ({ann, bob} - {survivor}).pop()
    changes = graph.driver.execute_query(
        "MATCH (c:SegmentChange {segment: 'buyers', pid: $pid}) RETURN c.kind AS kind, c.merged_into AS into",
        pid=gone,
        database_=graph.database,
    ).records
    assert [(c["kind"], c["into"]) for c in changes] == [("entry", None), ("exit", survivor)]
    assert survivor in segments.members(graph, "buyers", 10, None)
    assert gone not in segments.members(graph, "buyers", 10, None)


MAILABLE = {"where": {"has_identifier": "email"}, "consent": {"purpose": "marketing", "channel": "email"}}


def test_consent_statements_re_evaluate_membership_at_once(people: Graph) -> None:
    graph = people
    bob = profile(graph, "shop:S-2")["pid"]
    segments.save(graph, "mailable", MAILABLE, by="test")
    assert segments.members(graph, "mailable", 10, None) == []
    consent.set(graph, bob, "marketing", "email", "granted", by="test")
    assert segments.members(graph, "mailable", 10, None) == [bob]
    consent.set(graph, bob, "marketing", "email", "withdrawn", by="test", at=datetime.now(UTC) + timedelta(seconds=5))
    assert segments.members(graph, "mailable", 10, None) == []
    changes = graph.read("segment_changes", segment="mailable", since=NOW - timedelta(days=1))
    assert [(c["pid"], c["kind"]) for c in changes] == [(bob, "entry"), (bob, "exit")]


def test_loaded_consent_statements_make_membership_due(people: Graph, tmp_path: Path) -> None:
    graph = people
    cy = profile(graph, "shop:S-3")["pid"]
    segments.save(graph, "mailable", MAILABLE, by="test")

    def load_consent(status: str, at: str) -> None:
        path = tmp_path / f"consents-{status}.jsonl"
        row = {"consent_id": "K-1", "customer_id": "S-3", "purpose": "marketing", "channel": "email"}
        path.write_text(json.dumps(row | {"status": status, "at": at}) + "\n", encoding="utf-8")
        with Quarantine(tmp_path / "q.jsonl") as quarantine:
            load(graph, plan([path], "consents", "shop"), quarantine, LoadOptions())
        resolve(graph, load_rules())  # what every load does next: works off what is due

    load_consent("granted", _at(2))  # a new statement on a known record
    assert segments.members(graph, "mailable", 10, None) == [cy]
    load_consent("withdrawn", _at(1))  # a newer version of the same statement
    assert segments.members(graph, "mailable", 10, None) == []


def test_a_golden_override_re_evaluates_membership(people: Graph) -> None:
    graph = people
    bob, cy = profile(graph, "shop:S-2")["pid"], profile(graph, "shop:S-3")["pid"]
    segments.save(graph, "york", {"where": {"golden": "city", "op": "eq", "value": "York"}}, by="test")
    assert segments.members(graph, "york", 10, None) == [cy]
    steward.set_golden(graph, bob, "city", "York", by="steward:sam", rules=load_rules())
    assert segments.members(graph, "york", 10, None) == sorted([bob, cy])
    steward.set_golden(graph, bob, "city", None, by="steward:sam", rules=load_rules())
    assert segments.members(graph, "york", 10, None) == [cy]


def test_consent_as_a_condition_follows_the_contact_rule_under_or_and_not(people: Graph) -> None:
    graph = people
    ann, bob, cy, di = (profile(graph, f"shop:S-{i}")["pid"] for i in range(1, 5))
    later = datetime.now(UTC) + timedelta(seconds=5)
    consent.set(graph, bob, "marketing", "email", "granted", by="test")
    consent.set(graph, cy, "marketing", "email", "granted", by="test")
    consent.set(graph, cy, "marketing", "email", "withdrawn", by="test", at=later)  # the latest wins
    consent.set(graph, di, "marketing", "sms", "granted", by="test")
    consent.set(graph, di, "marketing", "email", "denied", by="test")
    # Ann's statement is on a profile that is then merged away: it follows her through the alias.
    consent.set(graph, ann, "marketing", "sms", "granted", by="test")
    graph.write("steward_link", a="shop:S-1", b="shop:S-3", by="test", reason="same", now=NOW)
    resolve(graph, load_rules())
    everyone = _pids(graph, *(f"shop:S-{i}" for i in range(1, 5)))
    email = {"consent": {"purpose": "marketing", "channel": "email"}}
    sms = {"consent": {"purpose": "marketing", "channel": "sms"}}

    def members(where: dict[str, Any]) -> set[str]:
        found = segments.preview(graph, {"where": where}, sample=100)
        assert found.size == len(found.sample)
        return set(found.sample)

    def allowed(channel: str) -> set[str]:
        return consent.allowed(graph, everyone, "marketing", channel)

    assert allowed("email") == {bob} and allowed("sms") >= {di}  # the rule the conditions must follow
    assert members(email) == allowed("email")
    assert members({"or": [email, sms]}) == allowed("email") | allowed("sms")
    assert members({"not": email}) == set(everyone) - allowed("email")
    assert members({"and": [sms, {"not": email}]}) == allowed("sms") - allowed("email")
    # The same as the definition's own consent, which is applied after the query.
    assert members(email) == set(segments.preview(graph, MAILABLE, sample=100).sample)


def test_organization_and_household_conditions(graph: Graph, feed: Feed) -> None:
    feed(
        "crm_organizations",
        [
            {"org_id": "G", "name": "Acme Group", "domain": "acme.example", "country": "US"},
            {"org_id": "UK", "name": "Acme UK", "country": "GB", "parent_org_id": "G"},
            {"org_id": "FR", "name": "Beta SA", "country": "FR"},
        ],
    )
    home = {"street": "1 High St", "city": "Leeds", "postcode": "LS1 1AA", "country": "GB"}
    feed(
        "crm_contacts",
        [
            {"contact_id": "C1", "first_name": "Ann", "last_name": "Ode", "email": "ann@x.org", "employer_org_id": "UK"}
            | home,
            {"contact_id": "C2", "first_name": "Ben", "last_name": "Ode", "email": "ben@x.org", "employer_org_id": "FR"}
            | home,
            {"contact_id": "C3", "first_name": "Cy", "last_name": "Ray", "email": "cy@x.org"},
        ],
    )
    resolve(graph, load_rules())
    ann, ben, cy = (profile(graph, f"crm:C{i}")["pid"] for i in (1, 2, 3))

    def members(where: dict[str, Any]) -> set[str]:
        found = segments.preview(graph, {"where": where}, sample=100)
        assert found.size == len(found.sample)
        return set(found.sample)

    # The employer, or a parent company of it.
    assert members({"organization": "name", "op": "eq", "value": "Acme Group"}) == {ann}
    assert members({"organization": "country", "op": "in", "value": ["GB", "FR"]}) == {ann, ben}
    assert members({"not": {"organization": "name", "op": "exists"}}) == {cy}
    hostile = {"organization": "name", "op": "eq", "value": "x' OR 1=1 //"}
    assert members(hostile) == set()
    # Ann and Ben share an address and a surname: one household of two.
    assert members({"household": {"min_size": 2}}) == {ann, ben}
    assert members({"household": {"max_size": 1}}) == set()
    assert members({"not": {"household": {}}}) == {cy}
    # An employment that ended is not "works at".
    graph.driver.execute_query(
        "MATCH (:Customer {uid: 'crm:C2'})-[w:WORKS_AT]->() SET w.until = date('2020-01-31')",
        database_=graph.database,
    )
    assert members({"organization": "country", "op": "eq", "value": "FR"}) == set()
