"""Aggregates for stewards: the data-quality dashboard and the review queue's lists (conflicts,
held-out identifiers). Catalog queries only; counts and ids, no personal values beyond a
conflicting profile's display name."""

import strawberry

from loaders import quarantine
from resolvers import ids
from resolvers.context import Context
from resolvers.errors import BadInput
from resolvers.types.quality import (
    ConflictEntry,
    DailyCount,
    DataQuality,
    HeldOutIdentifier,
    ProfileSize,
    QuarantineFile,
    SourceOverlap,
    SourceQuality,
)

__all__ = ["MAX_LIST", "conflicts", "data_quality", "held_out"]

MAX_LIST = 500
OVERLAP_ROWS = 20
SIZE_CAP = 6
DAYS = 90
QUARANTINE_FILES = 30


def _limit(first: int | None, default: int = 100) -> int:
    limit = default if first is None else first
    if not 1 <= limit <= MAX_LIST:
        raise BadInput(f"first must be between 1 and {MAX_LIST}")
    return limit


async def data_quality(context: Context) -> DataQuality:
    store = context.store
    (totals,) = await store.read("quality_totals")
    sources = await store.read("quality_sources")
    overlap = await store.read("quality_source_overlap", limit=OVERLAP_ROWS)
    sizes = await store.read("quality_profile_sizes", cap=SIZE_CAP)
    daily = await store.read("quality_daily", limit=DAYS)
    files = await store.call(
        "quarantine.counts", lambda: quarantine.counts(context.engine.quarantine_dir, QUARANTINE_FILES)
    )
    records = int(totals["records"])
    profiles = int(totals["profiles"])
    return DataQuality(
        profiles=profiles,
        records=records,
        households=int(totals["households"]),
        identifiers=int(totals["identifiers"]),
        held_out_identifiers=int(totals["held_out"]),
        conflicts=int(totals["conflicts"]),
        restricted=int(totals["restricted"]),
        touchpoints=int(totals["touchpoints"]),
        duplicate_rate=round(1 - profiles / records, 4) if records else 0.0,
        sources=[SourceQuality.from_row(row) for row in sources],
        source_overlap=[SourceOverlap(sources=list(r["sources"] or []), profiles=int(r["profiles"])) for r in overlap],
        profile_sizes=[ProfileSize(size=int(r["size"] or 0), profiles=int(r["profiles"])) for r in sizes],
        daily=[
            DailyCount(day=r["day"], records=int(r["records"]), profiles=int(r["profiles"])) for r in reversed(daily)
        ],
        quarantine=[QuarantineFile(file=name, rows=rows) for name, rows in files],
    )


async def held_out(context: Context, first: int | None) -> list[HeldOutIdentifier]:
    rows = await context.store.read("list_held_out", limit=_limit(first))
    return [HeldOutIdentifier(key=r["key"], kind=r["kind"], records=int(r["records"])) for r in rows]


async def conflicts(context: Context, first: int | None) -> list[ConflictEntry]:
    rows = await context.store.read("list_conflicts", limit=_limit(first))
    return [
        ConflictEntry(
            profile_id=strawberry.ID(ids.encode("Profile", r["pid"])),
            display_name=r["display_name"],
            conflicts=list(r["conflicts"] or []),
            records=int(r["records"] or 0),
        )
        for r in rows
    ]
