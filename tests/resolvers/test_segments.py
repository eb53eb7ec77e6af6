"""Segments over GraphQL: preview, save, read members page by page, delete; bad definitions are
BAD_USER_INPUT; the app role reads but cannot change segments."""

import json

from tests.resolvers.world import cypher

DEFINITION = json.dumps(
    {"where": {"and": [{"trait": "order_count", "op": "gte", "value": 1}, {"has_identifier": "email"}]}}
)
SAVE = """mutation($d: String!) { saveSegment(name: "api-buyers", definition: $d) { name size } }"""
READ = """query($after: String) { segment(name: "api-buyers") { name size definition
  members(first: 40, after: $after) { totalCount edges { node { pid traits { orderCount } } }
  pageInfo { hasNextPage endCursor } } } }"""


def test_segments_over_graphql(steward_api, app_api, api_graph, world):
    expected = sorted(
        r["pid"]
        for r in cypher(
            api_graph,
            "MATCH (p:Profile) WHERE p.trait_order_count >= 1 AND p.restricted IS NULL AND EXISTS { "
            "(p)-[:HAS_RECORD]->()-[:HAS_IDENTIFIER]->(:Identifier {kind: 'email'}) } RETURN p.pid AS pid",
        )
    )
    preview = steward_api.data(
        "query($d: String!) { previewSegment(definition: $d, sample: 5) { size sample { pid } } }", d=DEFINITION
    )
    assert preview["previewSegment"]["size"] == len(expected) > 40
    assert [p["pid"] for p in preview["previewSegment"]["sample"]] == expected[:5]
    assert app_api.errors(SAVE, d=DEFINITION)[0]["extensions"]["code"] == "FORBIDDEN"
    try:
        assert steward_api.data(SAVE, d=DEFINITION)["saveSegment"] == {"name": "api-buyers", "size": len(expected)}
        seen, after = [], None
        while True:
            segment = app_api.data(READ, after=after)["segment"]
            page = segment["members"]
            assert page["totalCount"] == len(expected)
            seen += [e["node"]["pid"] for e in page["edges"]]
            assert all(e["node"]["traits"]["orderCount"] >= 1 for e in page["edges"])
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert seen == expected
        assert "api-buyers" in [s["name"] for s in app_api.data("{ segments { name } }")["segments"]]
        bad = steward_api.errors(
            'mutation { saveSegment(name: "x", definition: "{\\"where\\": {\\"trait\\": \\"pid\\"}}") { name } }'
        )
        assert bad[0]["extensions"]["code"] == "BAD_USER_INPUT"
    finally:
        exited = steward_api.data('mutation { deleteSegment(name: "api-buyers") }')["deleteSegment"]
    assert exited == len(expected)
    assert steward_api.data('{ segment(name: "api-buyers") { name } }')["segment"] is None
