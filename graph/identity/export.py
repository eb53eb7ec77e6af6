"""Stream profiles out: one dict per profile with its records and household."""

from collections.abc import Iterator
from typing import Any

from graph.connection import Graph

__all__ = ["profiles"]


def profiles(graph: Graph, page: int = 10_000) -> Iterator[dict[str, Any]]:
    after = ""
    while True:
        rows = graph.read("export_profile_page", after=after, limit=page)
        for row in rows:
            row["records"].sort(key=lambda r: (r["source"], r["source_id"]))
            yield row
        if len(rows) < page:
            return
        after = rows[-1]["profile_id"]
