"""GET /segments/{name}/export: the segment's members stream out as JSON lines or CSV with the
chosen fields, for admin-scoped callers only; bad requests are 4xx before any row; every export
is audited (who, which segment, how many people, no values)."""

import csv
import io
import json

import httpx

from graph.segments.activation import export_members
from tests.resolvers.world import cypher

DEFINITION = json.dumps({"where": {"has_identifier": "email"}})
SAVE = """mutation($d: String!) { saveSegment(name: "api-export", definition: $d) { name size } }"""


def _members(api_graph) -> list[str]:
    rows = cypher(
        api_graph,
        "MATCH (p:Profile)-[:IN_SEGMENT]->(:Segment {name: 'api-export'}) RETURN p.pid AS pid ORDER BY pid",
    )
    return [r["pid"] for r in rows]


def test_segment_export_over_http(server, steward_api, admin_api, app_api, api_graph, world):
    steward_api.data(SAVE, d=DEFINITION)
    try:
        expected = _members(api_graph)
        assert len(expected) > 20
        url = "/segments/api-export/export"
        # Only the admin scope exports personal data in bulk; no key at all is a 401.
        assert steward_api.http.get(url).status_code == 403
        assert app_api.http.get(url).status_code == 403
        assert httpx.get(server + url).status_code == 401
        # Bad requests fail before the stream starts, with a reason.
        assert admin_api.http.get("/segments/nope/export").status_code == 404
        bad_field = admin_api.http.get(url, params={"fields": "profile_id,password"})
        assert bad_field.status_code == 400 and "password" in bad_field.json()["error"]
        assert admin_api.http.get(url, params={"format": "parquet"}).status_code == 400
        assert admin_api.http.get(url, params={"consent": "marketing"}).status_code == 400

        before = cypher(api_graph, "MATCH (a:AuditEntry {action: 'segment.export'}) RETURN count(a) AS n")[0]["n"]
        lines = admin_api.http.get(url, params={"fields": "profile_id,email", "reason": "journey"})
        assert lines.status_code == 200 and lines.headers["content-type"].startswith("application/x-ndjson")
        rows = [json.loads(line) for line in lines.text.splitlines()]
        assert [r["profile_id"] for r in rows] == expected
        assert all(r["email"] and "@" in r["email"] for r in rows)  # admins get the values, unmasked

        table = admin_api.http.get(url, params={"fields": "profile_id", "format": "csv"})
        assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
        assert [r["profile_id"] for r in csv.DictReader(io.StringIO(table.text))] == expected

        audits = cypher(
            api_graph,
            "MATCH (a:AuditEntry {action: 'segment.export'}) RETURN a.actor AS actor, a.details AS details, "
            "a.reason AS reason ORDER BY a.at",
        )
        assert len(audits) == before + 2
        first = json.loads(audits[-2]["details"])
        assert first["people"] == len(expected) and first["fields"] == ["profile_id", "email"]
        assert audits[-2]["reason"] == "journey" and audits[-2]["actor"].startswith("apikey:")
        assert all("@" not in (a["details"] or "") for a in audits)  # counts and field names, never values
        # A consumer that stops early (a client hanging up) still leaves its audit entry.
        rows = export_members(api_graph, "api-export", ["profile_id"], actor="test:early")
        assert next(rows)["profile_id"] == expected[0]
        rows.close()
        early = cypher(
            api_graph, "MATCH (a:AuditEntry {action: 'segment.export', actor: 'test:early'}) RETURN a.details AS d"
        )
        assert [json.loads(r["d"]) | {"fields": None} for r in early] == [
            {"fields": None, "people": 1, "consent": None, "complete": False}
        ]
        assert json.loads(audits[-1]["details"])["complete"] is True
    finally:
        steward_api.data('mutation { deleteSegment(name: "api-export") }')
