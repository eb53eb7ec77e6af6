"""No N+1: a page of profiles with nested fields costs a constant number of database round trips."""

from tests.resolvers.conftest import Client

PAGE = """query($n: Int!) { profiles(first: $n) { edges { node { pid displayName email
  records { uid source loadedAt } household { hid members { pid displayName } }
  touchpoints(first: 5) { totalCount edges { node { uid at channel } } } } } } }"""


def test_a_page_of_fifty_profiles_costs_a_constant_number_of_round_trips(server, api_graph, make_jwt):
    # A JWT caller: verifying it needs no database lookup, so only the query's own trips count.
    client = Client(server, make_jwt("steward"))

    def trips(n: int) -> int:
        before = api_graph.round_trips
        edges = client.data(PAGE, n=n)["profiles"]["edges"]
        assert len(edges) == n
        return api_graph.round_trips - before

    # page, records, household of each profile, households, member profiles, touchpoints
    assert trips(50) == trips(5) == 6
    client.http.close()


def test_related_profiles_and_organizations_batch_too(server, api_graph, make_jwt):
    client = Client(server, make_jwt("steward"))
    query = """query($n: Int!) { profiles(first: $n) { edges { node {
      relatedProfiles(depth: 2, via: [HOUSEHOLD, ACCOUNT]) { profile { pid } }
      organizations { organization { name people { title } } } accounts { account { holders { role } } }
      devices { users { pid } } } } } }"""
    before = api_graph.round_trips
    client.data(query, n=50)
    assert api_graph.round_trips - before <= 12
    client.http.close()
