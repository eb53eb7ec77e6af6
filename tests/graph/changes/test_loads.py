"""Events a load causes, in the load batch's own transaction: organization membership changed,
consent changed (a loaded statement), touchpoint added (configured types only)."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from graph.changes import events as ev
from graph.changes import loads, outbox
from graph.connection import Graph, Transaction
from graph.identity import load_rules, resolve
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, load
from loaders.quarantine import Quarantine
from tests.graph.identity.conftest import profile_of


class _Loads:
    def __init__(self, graph: Graph, tmp_path: Path) -> None:
        self.graph, self.tmp_path, self.files = graph, tmp_path, 0

    def __call__(self, mapping: str, rows: list[dict[str, str]], *, types: tuple[str, ...] = ()) -> list[Any]:
        """Load `rows` (source crm); returns the events it added."""
        self.files += 1
        path = self.tmp_path / f"{mapping}-{self.files}.csv"
        columns = sorted({key for row in rows for key in row})
        lines = [",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        start = outbox.head(self.graph)
        with Quarantine(self.tmp_path / "q.jsonl") as quarantine:
            summary = load(self.graph, plan([path], mapping, "crm"), quarantine, LoadOptions(touchpoint_events=types))
        assert summary.rows_quarantined == 0
        return outbox.page(self.graph, start, 100)


@pytest.fixture
def loads_(graph: Graph, tmp_path: Path) -> _Loads:
    return _Loads(graph, tmp_path)


def _data(event: Any) -> Any:
    return json.loads(str(event["data"]))


def test_membership_changes_are_events_when_new_or_different(graph: Graph, loads_: _Loads) -> None:
    ann = {"contact_id": "A", "first_name": "Ann", "email": "ann@x.org"}
    loads_("crm_contacts", [ann])
    resolve(graph, load_rules())
    pid = profile_of(graph, "crm:A")
    joined = loads_("crm_contacts", [ann | {"employer_org_id": "ORG1", "job_title": "Engineer"}])
    assert [(e["type"], e["profile_id"]) for e in joined] == [(ev.MEMBERSHIP_CHANGED, pid)]
    assert _data(joined[0]) == {"organization": "crm:ORG1", "relationship": "works_at"}
    assert loads_("crm_contacts", [ann | {"employer_org_id": "ORG1", "job_title": "Engineer"}]) == []  # same link
    promoted = loads_("crm_contacts", [ann | {"employer_org_id": "ORG1", "job_title": "CTO"}])
    assert [e["type"] for e in promoted] == [ev.MEMBERSHIP_CHANGED] and "CTO" not in json.dumps(promoted, default=str)
    # A record without a profile yet: resolution announces its profile, the load says nothing.
    assert loads_("crm_contacts", [{"contact_id": "B", "email": "bo@x.org", "employer_org_id": "ORG1"}]) == []


def test_loaded_consents_are_events(graph: Graph, loads_: _Loads) -> None:
    loads_("crm_contacts", [{"contact_id": "A", "first_name": "Ann", "email": "ann@x.org"}])
    resolve(graph, load_rules())
    pid = profile_of(graph, "crm:A")
    statement = {"consent_id": "C1", "customer_id": "A", "purpose": "marketing", "channel": "email"}
    granted = loads_("consents", [statement | {"status": "granted", "at": "2026-01-01T00:00:00Z"}])
    assert [(e["type"], e["profile_id"]) for e in granted] == [(ev.CONSENT_CHANGED, pid)]
    assert _data(granted[0]) == {"purpose": "marketing", "channel": "email", "status": "granted"}
    assert loads_("consents", [statement | {"status": "granted", "at": "2026-01-01T00:00:00Z"}]) == []  # unchanged
    older = loads_("consents", [statement | {"status": "denied", "at": "2025-01-01T00:00:00Z"}])
    assert older == []  # an older version leaves the statement as it was: nothing changed
    withdrawn = loads_("consents", [statement | {"status": "withdrawn", "at": "2026-02-01T00:00:00Z"}])
    assert [_data(e)["status"] for e in withdrawn] == ["withdrawn"]


def test_touchpoints_of_configured_types_are_events(graph: Graph, loads_: _Loads) -> None:
    loads_("crm_contacts", [{"contact_id": "A", "first_name": "Ann", "email": "ann@x.org"}])
    resolve(graph, load_rules())
    pid = profile_of(graph, "crm:A")
    order = {"customer_id": "A", "ordered_at": "2026-01-01T10:00:00Z", "total": "12.50", "currency": "GBP"}
    assert loads_("shop_orders", [order | {"order_id": "O1"}]) == []  # no types configured: off
    added = loads_("shop_orders", [order | {"order_id": "O2"}], types=("order",))
    assert [(e["type"], e["profile_id"]) for e in added] == [(ev.TOUCHPOINT_ADDED, pid)]
    assert _data(added[0]) == {"touchpoint": "crm:O2", "type": "order", "channel": "shop"}
    assert loads_("shop_orders", [order | {"order_id": "O2"}], types=("order",)) == []  # already linked
    assert loads_("shop_orders", [order | {"order_id": "O3"}], types=("ticket",)) == []  # another type


class _Abort(Exception):
    pass


def test_the_events_roll_back_with_the_batch(graph: Graph, loads_: _Loads) -> None:
    loads_("crm_contacts", [{"contact_id": "A", "first_name": "Ann", "email": "ann@x.org"}])
    resolve(graph, load_rules())
    head = outbox.head(graph)
    now = datetime.now(UTC)
    row: dict[str, Any] = {
        "start": "crm:A",
        "start_source": "crm",
        "start_id": "A",
        "end": "crm:ORG9",
        "end_source": "crm",
    }
    row |= {"end_id": "ORG9", "props": {"title": "Chef"}, "source": "crm", "updated_at": None, "first_seen": None}
    steps: list[tuple[str, dict[str, Any]]] = [("merge_works_at", {"rows": [row], "now": now})]

    def work(tx: Transaction) -> None:
        loads.run(tx, steps, now)
        assert tx.run("changes_head")[0]["position"] == head + 1  # staged and numbered inside it
        raise _Abort

    with pytest.raises(_Abort):
        graph.transaction(["merge_works_at", "changes_head", *loads.PROBES], work)
    assert outbox.head(graph) == head and outbox.page(graph, head, 10) == []
    assert graph.read("changes_probe_membership", rows=[row], rel="WORKS_AT")  # the link is not there either
