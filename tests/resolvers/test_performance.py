"""No N+1: a page of profiles with nested fields costs a constant number of database round trips;
concurrent requests share them."""

import asyncio

import httpx

from resolvers.ids import encode
from tests.resolvers.world import cypher

PAGE = """query($n: Int!) { profiles(first: $n) { edges { node { pid displayName email
  records { uid source loadedAt } household { hid members { pid displayName } }
  touchpoints(first: 5) { totalCount edges { node { uid at channel } } } } } } }"""


def trips(client, ledgers, query: str, n: int) -> int:
    before = sum(ledger.round_trips for ledger in ledgers)
    assert len(client.data(query, n=n)["profiles"]["edges"]) == n
    return sum(ledger.round_trips for ledger in ledgers) - before


def test_a_page_of_fifty_profiles_costs_a_constant_number_of_round_trips(jwt_steward, ledgers):
    # page, records, households (their members come along), touchpoints; and one audit entry for
    # the names and emails the steward read, however many profiles they belong to
    assert trips(jwt_steward, ledgers, PAGE, 50) == trips(jwt_steward, ledgers, PAGE, 5) == 5


def test_related_profiles_and_organizations_batch_too(jwt_steward, ledgers):
    query = """query($n: Int!) { profiles(first: $n) { edges { node {
      relatedProfiles(depth: 2, via: [HOUSEHOLD, ACCOUNT], first: 20) { profile { pid } }
      organizations(first: 5) { organization { name people(first: 10) { title } } }
      accounts(first: 5) { account { holders(first: 5) { role } } }
      devices(first: 5) { users(first: 5) { pid } } } } } }"""
    # At most one query per loader: page; two related steps + their profiles; memberships, people +
    # their profiles; holdings, holders + their profiles; devices, users + their profiles. Fewer
    # when a level is empty (no query for nothing), never more however many profiles.
    assert trips(jwt_steward, ledgers, query, 5) <= trips(jwt_steward, ledgers, query, 50) <= 14


def test_concurrent_callers_share_round_trips_and_each_gets_its_own_profile(server, world, api_app, api_graph):
    """Lookups and audit entries from concurrent requests are coalesced (resolvers/coalesce.py):
    each caller must still get exactly the profile it asked for, with its own records, and have
    its own audit entry."""
    expected = {
        row["pid"]: sorted(row["uids"])
        for row in cypher(
            api_graph, "MATCH (p:Profile)-[:HAS_RECORD]->(c) RETURN p.pid AS pid, collect(c.uid) AS uids LIMIT 40"
        )
    }
    query = "query($id: ID!) { profile(id: $id) { pid records { uid } } }"
    ledger = api_app.state.api.store.async_graph

    def lookups() -> int:
        return ledger.statements["api_profiles_by_pid"] + ledger.statements["api_profile_records"]

    def audited() -> dict[str, int]:
        rows = cypher(
            api_graph,
            """MATCH (e:AuditEntry {action: 'api.read_pii'}) UNWIND e.target AS pid
                                    RETURN pid, count(e) AS n""",
        )
        return {row["pid"]: row["n"] for row in rows}

    async def ask_all() -> list[dict]:
        headers = {"Authorization": f"Bearer {world.keys['steward']}"}
        async with httpx.AsyncClient(base_url=server, headers=headers, timeout=60) as client:

            async def ask(pid: str) -> dict:
                response = await client.post(
                    "/graphql", json={"query": query, "variables": {"id": encode("Profile", pid)}}
                )
                return response.json()["data"]["profile"]

            return await asyncio.gather(*(ask(pid) for pid in expected))

    before, entries_before, audited_before = lookups(), ledger.statements["privacy_audit_record"], audited()
    answers = asyncio.run(ask_all())
    assert {a["pid"]: sorted(r["uid"] for r in a["records"]) for a in answers} == expected
    assert [a["pid"] for a in answers] == list(expected)
    # two lookups per request (profile, records) if nothing were shared
    assert lookups() - before < 2 * len(expected)
    audited_after = audited()
    assert {pid: audited_after.get(pid, 0) - audited_before.get(pid, 0) for pid in expected} == dict.fromkeys(
        expected, 1
    )
    assert ledger.statements["privacy_audit_record"] - entries_before < len(expected)
