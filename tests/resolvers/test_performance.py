"""No N+1: a page of profiles with nested fields costs a constant number of database round trips."""

PAGE = """query($n: Int!) { profiles(first: $n) { edges { node { pid displayName email
  records { uid source loadedAt } household { hid members { pid displayName } }
  touchpoints(first: 5) { totalCount edges { node { uid at channel } } } } } } }"""


def trips(client, graph, query: str, n: int) -> int:
    before = graph.round_trips
    assert len(client.data(query, n=n)["profiles"]["edges"]) == n
    return graph.round_trips - before


def test_a_page_of_fifty_profiles_costs_a_constant_number_of_round_trips(jwt_steward, api_graph):
    # page, records, households (their members come along), touchpoints; and one audit entry for
    # the names and emails the steward read, however many profiles they belong to
    assert trips(jwt_steward, api_graph, PAGE, 50) == trips(jwt_steward, api_graph, PAGE, 5) == 5


def test_related_profiles_and_organizations_batch_too(jwt_steward, api_graph):
    query = """query($n: Int!) { profiles(first: $n) { edges { node {
      relatedProfiles(depth: 2, via: [HOUSEHOLD, ACCOUNT]) { profile { pid } }
      organizations { organization { name people { title } } } accounts { account { holders { role } } }
      devices { users { pid } } } } } }"""
    # At most one query per loader: page; two related steps + their profiles; memberships, people +
    # their profiles; holdings, holders + their profiles; devices, users + their profiles. Fewer
    # when a level is empty (no query for nothing), never more however many profiles.
    assert trips(jwt_steward, api_graph, query, 5) <= trips(jwt_steward, api_graph, query, 50) <= 14
