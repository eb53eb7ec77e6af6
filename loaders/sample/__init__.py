"""Deterministic sample data: N people as seen by a CRM, a shop, a website, a newsletter and a
help desk, with the ground truth needed to score identity resolution.

The same (people, seed, default_region) always yields byte-identical files: every random choice
comes from a `random.Random` seeded from the run's seed, Faker instances are seeded per instance,
and timestamps are offsets from a fixed epoch.
"""

import gc
import random
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from loaders.sample._activity import assign_record_ids, email_events, orders, tickets, web_events
from loaders.sample._bad_rows import BadRows
from loaders.sample._high import HighNoise
from loaders.sample._identifiers import JUNK_DEVICE_ID, JUNK_EMAIL, JUNK_PHONE, Identifiers
from loaders.sample._noise import FORMAL_NAMES, NICKNAMES, Noise
from loaders.sample._people import make_households, make_organizations
from loaders.sample._pools import build_pools
from loaders.sample._records import RecordMaker
from loaders.sample._rows import (
    ACCOUNT_COLUMNS,
    CRM_COLUMNS,
    CRM_COLUMNS_HIGH,
    EMAIL_EVENT_COLUMNS,
    ORG_COLUMNS,
    TICKET_COLUMNS,
    account_rows,
    crm_rows,
    email_event_rows,
    order_lines,
    organization_rows,
    shop_lines,
    ticket_rows,
    web_lines,
)
from loaders.sample._writers import TRUTH, write_csv, write_jsonl, write_manifest, write_truth

__all__ = [
    "DATA_FILES",
    "JUNK_DEVICE_ID",
    "JUNK_EMAIL",
    "JUNK_PHONE",
    "NICKNAMES",
    "NOISE_LEVELS",
    "GenerationSummary",
    "generate",
]

DATA_FILES = (
    "crm_organizations.csv",
    "crm_contacts.csv",
    "shop_customers.jsonl",
    "shop_accounts.csv",
    "shop_orders.jsonl",
    "web_events.jsonl",
    "email_events.csv",
    "support_tickets.csv",
)
"""Data files in load order: everything a row references is loaded before it."""

_PROGRESS_EVERY = 1000


@dataclass(frozen=True, slots=True)
class GenerationSummary:
    people: int
    households: int
    """Households of the `people` (anonymous visitors' own households not counted)."""
    files: dict[str, int]
    """File name -> data rows written (bad rows included), for the data files and truth.csv."""
    records: int
    """Person-level source records, i.e. rows of truth.csv."""
    bad_rows: dict[str, int]
    """Data file name -> deliberately invalid rows in it."""


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """A run allocates millions of small objects that form no reference cycles; the cyclic
    garbage collector would keep rescanning them for nothing, about a third of the run time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


NOISE_LEVELS = ("default", "high")


def generate(
    people: int,
    seed: int,
    out: Path,
    *,
    default_region: str = "GB",
    progress: Callable[[int], None] | None = None,
    noise: str = "default",
) -> GenerationSummary:
    """Write the sample data set for `people` people into `out` (created if missing).

    `noise="high"` gives people up to ten records and corrupts them the way real exports do
    (see _high.py); the truth stays exact.

    `default_region` is the region the loader assumes for phone numbers without a country code;
    only people of that country get nationally formatted numbers. `progress`, if given, receives
    the number of people generated so far, about every thousand people and once at the end.
    """
    if people < 1:
        raise ValueError(f"people must be at least 1, got {people}")
    if not re.fullmatch(r"[A-Z]{2}", default_region):
        raise ValueError(f"default_region must be an ISO 3166-1 alpha-2 code, got {default_region!r}")
    if noise not in NOISE_LEVELS:
        raise ValueError(f"noise must be one of {NOISE_LEVELS}, got {noise!r}")
    with _without_cycle_collector():
        return _generate(people, seed, out, default_region, progress, noise == "high")


def _generate(
    people: int, seed: int, out: Path, default_region: str, progress: Callable[[int], None] | None, high: bool
) -> GenerationSummary:
    def stream(name: str) -> random.Random:
        # Independent streams: changing how one concern draws numbers leaves the others alone.
        return random.Random(f"{seed}/{name}")

    pools = build_pools(seed, FORMAL_NAMES)
    ids = Identifiers(stream("identifiers"))
    orgs = make_organizations(max(5, people // 40), pools, stream("organizations"), ids)
    maker = RecordMaker(stream("records"), ids, high=high)
    households = 0
    done = 0
    for household in make_households(people, pools, orgs, stream("people"), ids):
        maker.household(household)
        households += 1
        before, done = done, done + len(household.members)
        if progress and done < people and done // _PROGRESS_EVERY > before // _PROGRESS_EVERY:
            progress(done)
    for number in range(1, people // 10 + 1):
        maker.anonymous(number)
    records = maker.records
    assign_record_ids(records, stream("ids"))

    activity = stream("activity")
    order_list = orders(records.shop, activity)
    event_list = web_events(records.cookies, activity)
    mail_list = email_events(records.subscribers, activity)
    ticket_list = tickets(records.requesters)

    noise = (
        HighNoise(stream("noise"), default_region, stream("noise-high"), seed)
        if high
        else Noise(stream("noise"), default_region)
    )
    bad = BadRows(stream("bad"), ids, pools)
    out.mkdir(parents=True, exist_ok=True)
    crm = list(crm_rows(records.crm, noise, stream("cypher-crm")))
    order_text = list(order_lines(order_list))
    web_text = list(web_lines(event_list, noise))
    support = list(ticket_rows(ticket_list, noise, stream("cypher-support")))
    bad_rows = dict.fromkeys(DATA_FILES, 0) | {
        "crm_contacts.csv": bad.add_to_contacts(crm),
        "shop_orders.jsonl": bad.add_to_orders(order_text, [c.customer_id for c in records.shop]),
        "web_events.jsonl": bad.add_to_web_events(web_text),
        "support_tickets.csv": bad.add_to_tickets(support, len(records.requesters)),
    }

    files = {
        "crm_organizations.csv": write_csv(out / "crm_organizations.csv", ORG_COLUMNS, organization_rows(orgs)),
        "crm_contacts.csv": write_csv(out / "crm_contacts.csv", CRM_COLUMNS_HIGH if high else CRM_COLUMNS, crm),
        "shop_customers.jsonl": write_jsonl(out / "shop_customers.jsonl", shop_lines(records.shop, noise)),
        "shop_accounts.csv": write_csv(out / "shop_accounts.csv", ACCOUNT_COLUMNS, account_rows(records.accounts)),
        "shop_orders.jsonl": write_jsonl(out / "shop_orders.jsonl", order_text),
        "web_events.jsonl": write_jsonl(out / "web_events.jsonl", web_text),
        "email_events.csv": write_csv(
            out / "email_events.csv", EMAIL_EVENT_COLUMNS, email_event_rows(mail_list, noise)
        ),
        "support_tickets.csv": write_csv(out / "support_tickets.csv", TICKET_COLUMNS, support),
    }
    files[TRUTH] = write_truth(out, records)
    write_manifest(out, list(DATA_FILES), people, seed, default_region, "high" if high else None)
    if progress:
        progress(people)
    return GenerationSummary(people, households, files, files[TRUTH], bad_rows)
