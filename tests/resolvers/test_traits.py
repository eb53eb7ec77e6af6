"""Profile.traits: the computed traits as the graph holds them, explained by touchpoint ids,
for the app role too; touchpoints carry their own sentiment."""

import json

from resolvers.ids import encode
from tests.resolvers.world import cypher

TRAITS = """query($id: ID!) { profile(id: $id) { pid traits {
  orderCount currency totalSpend lifecycle recencyDays preferredChannel emailOpens webVisits
  sentiment sentimentScore sentimentCount rScore rfm pAlive clv refreshedAt
  spend { currency total average orders } sources { traits count touchpointIds } }
  touchpoints(first: 20, channel: "support") { edges { node { uid sentiment sentimentScore } } } } }"""


def _busiest(api_graph) -> dict:
    rows = cypher(
        api_graph,
        "MATCH (p:Profile) WHERE p.trait_order_count > 1 AND p.trait_sentiment_count > 0 AND p.restricted IS NULL "
        "RETURN p {.*} AS p ORDER BY p.trait_order_count DESC, p.pid LIMIT 1",
    )
    assert rows, "the world has customers with orders and tickets, and resolution computed their traits"
    return rows[0]["p"]


def test_traits_are_the_graphs_and_explained(app_api, steward_api, api_graph, world):
    expected = _busiest(api_graph)
    pid = expected["pid"]
    for client in (app_api, steward_api):
        profile = client.data(TRAITS, id=encode("Profile", pid))["profile"]
        traits = profile["traits"]
        assert traits["orderCount"] == expected["trait_order_count"]
        assert traits["lifecycle"] == expected["trait_lifecycle"]
        assert traits["totalSpend"] == expected["trait_total_spend"]
        assert traits["sentiment"] == expected["trait_sentiment"]
        spend = json.loads(expected["trait_spend"])
        assert {s["currency"]: s["total"] for s in traits["spend"]} == {c: v["total"] for c, v in spend.items()}
        sources = {s["traits"]: s for s in traits["sources"]}
        orders = cypher(
            api_graph,
            "MATCH (:Profile {pid: $pid})-[:HAS_RECORD]->()-[:HAD_TOUCHPOINT]->(t:Touchpoint {type: 'order'}) "
            "RETURN DISTINCT t.uid AS uid",
            pid=pid,
        )
        assert sources["orders"]["count"] == len(orders) == traits["orderCount"]
        assert set(sources["orders"]["touchpointIds"]) <= {o["uid"] for o in orders}
        tickets = [e["node"] for e in profile["touchpoints"]["edges"]]
        assert tickets and all(t["sentiment"] in ("positive", "neutral", "negative") for t in tickets)
        scores = [t["sentimentScore"] for t in tickets]
        assert abs(traits["sentimentScore"] - sum(scores) / len(scores)) < 1e-3


def test_no_traits_before_a_refresh(steward_api, api_graph, world):
    pid = _busiest(api_graph)["pid"]
    cypher(api_graph, "MATCH (p:Profile {pid: $pid}) REMOVE p.trait_refreshed_at", pid=pid)
    try:
        assert steward_api.data(TRAITS, id=encode("Profile", pid))["profile"]["traits"] is None
    finally:
        cypher(api_graph, "MATCH (p:Profile {pid: $pid}) SET p.trait_refreshed_at = datetime()", pid=pid)


ATTRIBUTES = "query($id: ID!) { profile(id: $id) { attributes { name value type } golden { field value } } }"


def test_custom_attributes_are_typed_on_the_profile(steward_api, api_graph, world):
    pid = _busiest(api_graph)["pid"]
    cypher(
        api_graph,
        "MATCH (p:Profile {pid: $pid}) SET p.attr_loyalty_tier = 'gold', p.attr_household_size = 3, p.attr_vip = true",
        pid=pid,
    )
    try:
        profile = steward_api.data(ATTRIBUTES, id=encode("Profile", pid))["profile"]
        assert profile["attributes"] == [
            {"name": "household_size", "value": "3", "type": "int"},
            {"name": "loyalty_tier", "value": "gold", "type": "string"},
            {"name": "vip", "value": "true", "type": "bool"},
        ]
    finally:
        cypher(
            api_graph,
            "MATCH (p:Profile {pid: $pid}) REMOVE p.attr_loyalty_tier, p.attr_household_size, p.attr_vip",
            pid=pid,
        )
