import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.identity.components import cluster


def test_groups_and_pairs_join_records() -> None:
    assert cluster(6, [[0, 1, 2], [2, 3]], [(4, 5)]) == [[0, 1, 2, 3], [4, 5]]


def test_cannot_link_cuts_the_most_common_evidence_first() -> None:
    # 0-1-2 share a common identifier, 2-3 a rare one; 0 and 3 are not the same person.
    assert cluster(4, [[0, 1, 2], [2, 3]], [], cannot=[(0, 3)]) == [[0, 1], [2, 3]]


def test_cannot_link_beats_a_chain_of_steward_links() -> None:
    assert cluster(3, [], [(0, 1), (1, 2)], cannot=[(0, 2)]) == [[0, 1], [2]]


problems = st.integers(2, 25).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.lists(st.integers(0, n - 1), min_size=1, max_size=5, unique=True), max_size=12),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=6),
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1]), max_size=4),
    )
)


@settings(max_examples=200, deadline=None)
@given(problems)
def test_matches_networkx_without_constraints_and_respects_them_with(problem) -> None:  # type: ignore[no-untyped-def]
    n, groups, pairs, cannot = problem
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for group in groups:
        g.add_edges_from((group[0], other) for other in group[1:])
    g.add_edges_from(pairs)
    expected = sorted(sorted(c) for c in nx.connected_components(g))
    assert cluster(n, groups, pairs) == expected
    constrained = cluster(n, groups, pairs, cannot)
    where = {r: i for i, c in enumerate(constrained) for r in c}
    assert all(where[a] != where[b] for a, b in cannot)
    # Cutting only ever splits a component, it never joins records that were apart.
    plain = {r: i for i, c in enumerate(expected) for r in c}
    assert all(len({plain[r] for r in c}) == 1 for c in constrained)
    assert sorted(r for c in constrained for r in c) == list(range(n))
