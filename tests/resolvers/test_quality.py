"""The data-quality dashboard and review-queue fields (steward), checked against the graph."""

from collections.abc import Iterator

import pytest

from resolvers.ids import encode
from tests.resolvers.world import cypher

QUALITY = """{ dataQuality { profiles records households heldOutIdentifiers conflicts duplicateRate
  sources { source records fields { field present } } sourceOverlap { sources profiles }
  profileSizes { size profiles } daily { day records profiles } quarantine { file rows } } }"""


def test_data_quality_counts_match_the_graph(steward_api, api_graph, world):
    q = steward_api.data(QUALITY)["dataQuality"]
    truth = cypher(
        api_graph,
        """RETURN COUNT { (:Profile) } AS profiles, COUNT { (:Customer) } AS records,
                  COUNT { (:Household) } AS households,
                  COUNT { (i:Identifier) WHERE i.held_out } AS held_out""",
    )[0]
    assert (q["profiles"], q["records"], q["households"], q["heldOutIdentifiers"]) == (
        truth["profiles"],
        truth["records"],
        truth["households"],
        truth["held_out"],
    )
    assert q["duplicateRate"] == round(1 - truth["profiles"] / truth["records"], 4)
    per_source = {
        r["source"]: r["n"] for r in cypher(api_graph, "MATCH (c:Customer) RETURN c.source AS source, count(*) AS n")
    }
    assert {s["source"]: s["records"] for s in q["sources"]} == per_source
    crm = next(s for s in q["sources"] if s["source"] == "crm")
    emails = cypher(
        api_graph,
        "MATCH (c:Customer {source: 'crm'}) WHERE EXISTS { (c)-[:HAS_IDENTIFIER]->(:Identifier {kind: 'email'}) } "
        "RETURN count(c) AS n",
    )[0]["n"]
    assert {f["field"]: f["present"] for f in crm["fields"]}["email"] == emails
    assert sum(s["profiles"] for s in q["profileSizes"]) == truth["profiles"]
    assert q["sourceOverlap"][0]["profiles"] >= q["sourceOverlap"][-1]["profiles"] > 0
    assert sum(d["records"] for d in q["daily"]) == truth["records"]


@pytest.fixture
def held_out(api_graph, world) -> Iterator[dict]:
    """An identifier of a multi-record profile marked held out, as resolution marks shared ones
    (the sample has none at its size); unmarked afterwards."""
    row = cypher(
        api_graph,
        """MATCH (p:Profile)-[:HAS_RECORD]->(c:Customer)-[:HAS_IDENTIFIER]->(i:Identifier)
           WHERE p.record_count >= 2 AND NOT p.pid IN $taken AND i.held_out IS NULL
           WITH p, i, count(c) AS n WHERE n >= 2
           WITH p, i ORDER BY p.pid, i.key LIMIT 1
           SET i.held_out = true RETURN p.pid AS pid, i.key AS key""",
        taken=[world.restricted_pid, world.alias_pid, world.survivor_pid],
    )[0]
    yield row
    cypher(api_graph, "MATCH (i:Identifier {key: $key}) REMOVE i.held_out", key=row["key"])


def test_review_lists_and_roles(steward_api, app_api, api_graph, world, held_out):
    data = steward_api.data("{ heldOutIdentifiers(first: 5) { key kind records } conflicts { profileId conflicts } }")
    held = cypher(api_graph, "MATCH (i:Identifier) WHERE i.held_out RETURN i.key AS key")
    assert held_out["key"] in {i["key"] for i in data["heldOutIdentifiers"]}
    assert {i["key"] for i in data["heldOutIdentifiers"]} <= {r["key"] for r in held}
    assert len(data["heldOutIdentifiers"]) == min(5, len(held))
    assert all(i["records"] > 1 for i in data["heldOutIdentifiers"])
    conflicting = cypher(api_graph, "MATCH (p:Profile) WHERE p.conflicts IS NOT NULL RETURN count(p) AS n")[0]["n"]
    assert len(data["conflicts"]) == min(conflicting, 100)
    errors = steward_api.errors("{ conflicts(first: 0) { profileId } }")
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = app_api.gql("{ dataQuality { profiles } heldOutIdentifiers { key } conflicts { profileId } }")
    assert body["data"] == {"dataQuality": None, "heldOutIdentifiers": None, "conflicts": None}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}


def test_identifiers_say_when_they_are_held_out(steward_api, api_graph, world, held_out):
    row = [held_out]
    profile = steward_api.data(
        "query($id: ID!) { profile(id: $id) { identifiers { key heldOut } } }", id=encode("Profile", row[0]["pid"])
    )["profile"]
    flags = {i["key"]: i["heldOut"] for i in profile["identifiers"]}
    assert flags[row[0]["key"]] is True
    assert False in flags.values()
    node = steward_api.data(
        "query($id: ID!) { node(id: $id) { ... on Identifier { heldOut } } }", id=encode("Identifier", row[0]["key"])
    )["node"]
    assert node == {"heldOut": True}
