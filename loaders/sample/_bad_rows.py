"""Deliberately invalid rows, to exercise the loader's quarantine.

They are extra rows that belong to nobody (fresh ids, fresh identifiers), so truth stays exact
for every valid record. About one per thousand valid rows, at least one of each kind and at
most MAX_PER_FILE per file, inserted at random positions.
"""

import random
from typing import TypeVar

from loaders.sample._identifiers import Identifiers
from loaders.sample._pools import COUNTRY_MIX, SPAN_SECONDS, Pools, iso
from loaders.sample._records import Cookie
from loaders.sample._rows import Row, jsonl, order_line, web_event

MAX_PER_FILE = 50
BAD_EMAIL = "not-an-email"
BAD_TOTAL = "abc"
BAD_OPENED_AT = "yesterday"

T = TypeVar("T")


def _count(valid_rows: int, kinds: int) -> int:
    return min(MAX_PER_FILE, max(kinds, round(valid_rows / 1000)))


class BadRows:
    """Each add_to_* method mixes bad rows into a file's valid rows and returns how many."""

    def __init__(self, rng: random.Random, ids: Identifiers, pools: dict[str, Pools]) -> None:
        self._rng = rng
        self._ids = ids
        self._pools = pools

    def _insert(self, rows: list[T], bad: list[T]) -> int:
        for row in bad:
            rows.insert(self._rng.randrange(len(rows) + 1), row)
        return len(bad)

    def _stranger(self) -> tuple[str, str, str, str]:
        """First name, last name, a fresh email and a country code of somebody who isn't real."""
        pools = self._pools[COUNTRY_MIX.pick(self._rng).code]
        first = self._rng.choice(pools.female + pools.male)
        last = self._rng.choice(pools.surnames)
        email = self._ids.email(first, last, self._rng.choice(pools.country.mail_domains))
        return first, last, email, pools.country.code

    def add_to_contacts(self, rows: list[Row]) -> int:
        """Alternately a row without contact_id and a row with a malformed email."""
        valid, bad = len(rows), []
        for k in range(_count(valid, 2)):
            first, last, email, country = self._stranger()
            contact_id = "" if k % 2 == 0 else f"C-{valid + k // 2 + 1:07d}"
            bad.append(
                [
                    contact_id,
                    first,
                    last,
                    email if k % 2 == 0 else BAD_EMAIL,
                    "",
                    "",
                    "",
                    "",
                    "",
                    country,
                    "",
                    "",
                    "",
                    iso(self._rng.randrange(SPAN_SECONDS)),
                ]
            )
        return self._insert(rows, bad)

    def add_to_orders(self, lines: list[str], customer_ids: list[str]) -> int:
        valid = len(lines)
        bad = [
            order_line(
                f"O-{valid + k + 1:07d}",
                self._rng.choice(customer_ids) if customer_ids else "",
                self._rng.randrange(SPAN_SECONDS),
                f'"{BAD_TOTAL}"',
                "GBP",
                [],
            )
            for k in range(_count(valid, 1))
        ]
        return self._insert(lines, bad)

    def add_to_web_events(self, lines: list[str]) -> int:
        """Lines cut off mid-object, as from a collector that crashed while writing."""
        valid, bad = len(lines), []
        for k in range(_count(valid, 1)):
            cookie = Cookie("", "", [], self._ids.hex_id("dv_", 12), "mobile", self._ids.hex_id("ck_", 16))
            line = jsonl(
                web_event(f"E-{valid + k + 1:08d}", self._rng.randrange(SPAN_SECONDS), cookie, "page_view", "/", None)
            )
            bad.append(line[: self._rng.randrange(8, len(line) - 1)])
        return self._insert(lines, bad)

    def add_to_tickets(self, rows: list[Row], requesters: int) -> int:
        valid, bad = len(rows), []
        for k in range(_count(valid, 1)):
            first, last, email, _ = self._stranger()
            bad.append(
                [
                    f"T-{valid + k + 1:07d}",
                    f"R-{requesters + k + 1:07d}",
                    BAD_OPENED_AT,
                    f"{first} {last}",
                    email,
                    "",
                    "Where is my order?",
                    "email",
                ]
            )
        return self._insert(rows, bad)
