"""A small world for privacy tests, loaded through the real pipeline into the real Neo4j.

Annabelle Zebedee has three records (CRM, shop, help desk), orders, a consent and a household
(Bob Zebedee at the same address). Her shop record (first name only, so no evidence of another
person) once shared a phone with Carl Ormsby, so their profiles were merged and a steward cut
them apart: Carl's history names her records.
"""

import csv
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from graph.connection import Graph
from graph.identity import load_rules, resolve, steward
from loaders.manifest import plan
from loaders.pipeline import LoadOptions, LoadSummary, load
from loaders.quarantine import Quarantine
from loaders.suppression import Suppression

Loader = Callable[..., LoadSummary]
SECRET = b"privacy-test-key"

ANN_EMAIL = "annabelle.zebedee@example.com"
ANN_PHONE = "+447911271828"
SHARED_PHONE = "+447400123456"

PEOPLE = [
    {
        "source_id": "ANN-1",
        "first_name": "Annabelle",
        "last_name": "Zebedee",
        "email": ANN_EMAIL,
        "phone": "07911 271828",
        "birth_date": "1981-04-05",
        "street": "7 Quillon Lane",
        "city": "Leeds",
        "postcode": "LS1 4AB",
        "country": "GB",
    },
    {
        "source_id": "BOB-1",
        "first_name": "Bob",
        "last_name": "Zebedee",
        "email": "bob.z@example.com",
        "street": "7 Quillon Lane",
        "city": "Leeds",
        "postcode": "LS1 4AB",
        "country": "GB",
    },
    {
        "source_id": "CARL-1",
        "first_name": "Carl",
        "last_name": "Ormsby",
        "email": "carl@example.com",
        "phone": SHARED_PHONE,
    },
]
SHOP = [
    {
        "source_id": "ANN-S1",
        "first_name": "Annabelle",  # no surname: nothing says it is not Carl's phone too
        "email": "  Annabelle.Zebedee@Example.com ",
        "phone": SHARED_PHONE,
    }
]
TICKETS = [
    {
        "ticket_id": "T-ANN-1",
        "requester_id": "REQ-ANN",
        "opened_at": "2024-03-01T10:00:00Z",
        "subject": "Annabelle Zebedee cannot log in",
        "channel": "email",
        "name": "Annabelle Zebedee",
        "email": ANN_EMAIL,
    }
]
ORDERS = [
    {"order_id": order, "customer_id": customer, "ordered_at": at, "total": total, "currency": "GBP"}
    for order, customer, at, total in [
        ("O-ANN-1", "ANN-S1", "2024-01-10T09:00:00Z", "25.00"),
        ("O-ANN-2", "ANN-S1", "2024-02-10T09:00:00Z", "40.00"),
        ("O-CARL-1", "CARL-S1", "2024-02-11T09:00:00Z", "9.00"),
    ]
]
CONSENTS = [
    {
        "consent_id": "K-ANN-1",
        "customer_id": "ANN-1",
        "purpose": "Marketing",
        "channel": "email",
        "status": "granted",
        "at": "2024-01-01T00:00:00Z",
        "evidence": "signup form",
    }
]
ANN_UIDS = ["crm:ANN-1", "shop:ANN-S1", "support:REQ-ANN"]


@pytest.fixture
def load_rows(graph: Graph, tmp_path: Path) -> Loader:
    """Write rows to a CSV file and load it through the real pipeline."""
    counter = itertools.count()

    def run(
        rows: list[dict[str, str]],
        *,
        mapping: str = "customers",
        source: str | None = "crm",
        suppress: Suppression | None = None,
    ) -> LoadSummary:
        path = tmp_path / f"{mapping}-{next(counter)}.csv"
        columns = sorted({key for row in rows for key in row})
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            writer.writerows(rows)
        with Quarantine(tmp_path / f"q-{path.stem}.jsonl") as quarantine:
            summary = load(graph, plan([path], mapping, source), quarantine, LoadOptions(), suppress=suppress)
        assert summary.rows_quarantined == 0
        return summary

    return run


@dataclass
class World:
    ann: str  # Annabelle's profile id
    bob: str
    carl: str


def profile_of(graph: Graph, uid: str) -> str:
    pid = graph.read("profile_of_records", uids=[uid])[0]["pid"]
    assert pid is not None
    return str(pid)


def load_world(load_rows: Loader, *, suppress: Suppression | None = None) -> list[LoadSummary]:
    return [
        load_rows(PEOPLE, suppress=suppress),
        load_rows(SHOP, source="shop", suppress=suppress),
        load_rows(TICKETS, mapping="support_tickets", source=None, suppress=suppress),
        load_rows(ORDERS, mapping="shop_orders", source=None, suppress=suppress),
        load_rows(CONSENTS, mapping="consents", source=None, suppress=suppress),
        load_rows(
            [{"source_id": "CARL-S1", "first_name": "Carl", "last_name": "Ormsby", "email": "carl@example.com"}],
            source="shop",
            suppress=suppress,
        ),
    ]


@pytest.fixture
def world(graph: Graph, load_rows: Loader) -> World:
    load_world(load_rows)
    rules = load_rules()
    resolve(graph, rules)
    assert profile_of(graph, "shop:ANN-S1") == profile_of(graph, "crm:CARL-1")  # merged by the shared phone
    steward.unlink(graph, "shop:ANN-S1", "crm:CARL-1", by="steward:sam", reason="not Annabelle", rules=rules)
    ann = profile_of(graph, "crm:ANN-1")
    assert {profile_of(graph, uid) for uid in ANN_UIDS} == {ann}
    return World(ann=ann, bob=profile_of(graph, "crm:BOB-1"), carl=profile_of(graph, "crm:CARL-1"))


def cypher(graph: Graph, text: str, **params: Any) -> list[dict[str, Any]]:
    """Test-only reads outside the catalog (scans the catalog has no business doing)."""
    records = graph.driver.execute_query(text, params, database_=graph.database).records
    return [record.data() for record in records]
