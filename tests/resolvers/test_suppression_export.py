"""GET /suppression/export: the suppression list over HTTP for the systems that send campaigns;
admin scope only, keyed hashes by default, plain values for admin keys, bad requests a 4xx before
any row, every export audited."""

import csv
import io
import json

import httpx

from c360.keyfile import suppression_key
from graph.privacy import do_not_contact, suppression
from tests.resolvers.world import cypher

URL = "/suppression/export"


def test_suppression_export_over_http(server, steward_api, admin_api, app_api, api_graph, api_settings, world):
    # Only the admin scope exports personal data in bulk; no key at all is a 401.
    assert steward_api.http.get(URL).status_code == 403
    assert app_api.http.get(URL).status_code == 403
    assert httpx.get(server + URL).status_code == 401
    # Bad requests fail before the stream starts, with a reason.
    for params in ({"format": "parquet"}, {"plain": "maybe"}, {"consent": "marketing"}, {"kinds": "email' OR 1=1"}):
        refused = admin_api.http.get(URL, params=params)
        assert refused.status_code == 400 and refused.json()["error"], params

    before = cypher(api_graph, "MATCH (a:AuditEntry {action: 'suppression.export'}) RETURN count(a) AS n")[0]["n"]
    answer = admin_api.http.get(URL, params={"reason": "weekly mailer sync"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in answer.text.splitlines()]
    assert all(set(r) == set(do_not_contact.FIELDS) for r in rows)
    # The restricted profile's email, as the same keyed hash an erasure's entry would carry.
    restricted = suppression.digest(suppression_key(api_settings), f"email:{world.restricted_email}")
    assert ("restricted", "email", restricted) in {(r["reason"], r["kind"], r["hash"]) for r in rows}
    assert world.restricted_email not in answer.text
    assert not [r for r in rows if r["reason"] == "no_consent"]  # no purpose asked: no consent check

    # Given a purpose and channel, everyone without consent for it is listed too.
    unconsented = admin_api.http.get(URL, params={"consent": "marketing:email", "format": "csv"})
    assert unconsented.status_code == 200 and unconsented.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(unconsented.text)))
    assert {r["reason"] for r in table} >= {"restricted", "no_consent"} and len(table) > len(rows)

    plain = admin_api.http.get(URL, params={"plain": "true", "kinds": "email"})
    assert plain.status_code == 200
    values = {(r["reason"], r["value"]) for r in map(json.loads, plain.text.splitlines())}
    assert ("restricted", world.restricted_email) in values

    audits = cypher(
        api_graph,
        "MATCH (a:AuditEntry {action: 'suppression.export'}) RETURN a.actor AS actor, a.details AS details, "
        "a.reason AS reason ORDER BY a.at",
    )
    assert len(audits) == before + 3  # the refused requests read nothing and left nothing
    first = json.loads(audits[-3]["details"])
    assert first["complete"] is True and first["plain"] is False and sum(first["rows"].values()) == len(rows)
    assert audits[-3]["reason"] == "weekly mailer sync" and audits[-3]["actor"].startswith("apikey:")
    assert json.loads(audits[-1]["details"])["plain"] is True
    assert all(world.restricted_email not in (a["details"] or "") for a in audits)  # counts, never values
