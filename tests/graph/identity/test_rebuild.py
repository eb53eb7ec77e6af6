"""The streaming full rebuild's claim: records are claimed as their page passes, and cleared
at the end only if no writer changed them meanwhile."""

from typing import Any

import pytest

from graph.connection import Graph
from graph.identity import load_rules, rebuild, resolve
from graph.identity.rules import MatchRules
from tests.graph.identity.conftest import Loader, profile_of


def _pending(graph: Graph) -> dict[str, Any]:
    rows = graph.driver.execute_query(
        "MATCH (c:Customer) WHERE c.pending IS NOT NULL RETURN c.uid AS uid, c.pending AS pending",
        database_=graph.database,
    ).records
    return {r["uid"]: r["pending"] for r in rows}


def test_full_rebuild_claims_across_pages_and_keeps_what_a_writer_changed(
    graph: Graph, load_csv: Loader, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [{"source_id": f"R{i}", "email": f"r{i // 2}@example.com", "first_name": "Rae"} for i in range(7)]
    load_csv(rows, source="crm")
    # A record left claimed by a run that crashed is pending too, and claimed again.
    graph.driver.execute_query(
        "MATCH (c:Customer {uid: 'crm:R6'}) SET c.pending = 'full:crashed'", database_=graph.database
    )
    monkeypatch.setattr(rebuild, "PAGE", 2)  # four pages of records, three of cleared claims
    real = rebuild.read_links

    def a_writer_meanwhile(graph_: Graph, rules: MatchRules, index: rebuild.RecordIndex) -> rebuild.Links:
        # After every record was claimed, before the run clears: a loader rewrites one of them.
        assert set(_pending(graph).values()) == {index_owner(graph)}
        graph.driver.execute_query("MATCH (c:Customer {uid: 'crm:R3'}) SET c.pending = true", database_=graph.database)
        return real(graph_, rules, index)

    monkeypatch.setattr(rebuild, "read_links", a_writer_meanwhile)
    report = resolve(graph, load_rules(), full=True)
    assert report.claimed == 7 and report.records == 7 and report.created == 4
    # The changed record waits for the next run; every other claim was cleared.
    assert _pending(graph) == {"crm:R3": True}
    pids = {f"crm:R{i}": profile_of(graph, f"crm:R{i}") for i in range(7)}
    assert pids["crm:R0"] == pids["crm:R1"] != pids["crm:R2"] == pids["crm:R3"]
    assert resolve(graph, load_rules()).claimed == 1 and _pending(graph) == {}


def index_owner(graph: Graph) -> str:
    """The live lease's owner: the token of the run holding it."""
    rows = graph.driver.execute_query(
        "MATCH (l:ResolutionLock {name: 'identity'}) RETURN l.owner AS owner", database_=graph.database
    ).records
    return str(rows[0]["owner"])
