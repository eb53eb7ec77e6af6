from graph.connection import Graph
from graph.identity import explain, load_rules, resolve
from graph.identity.rules import FuzzyRule
from tests.graph.identity.conftest import Loader, partition, profile_of

RULES = load_rules().model_copy(
    update={"fuzzy": [FuzzyRule(block_on=["postcode", "birth_date"], compare="full_name", threshold=0.9)]}
)
HOME = {"postcode": "LS1 1AA", "birth_date": "1980-02-03"}


def test_similar_names_in_one_block_link_incrementally_and_in_full(graph: Graph, load_csv: Loader) -> None:
    load_csv([{"source_id": "1", "first_name": "Jonathan", "last_name": "Smith", "email": "j1@x.org", **HOME}])
    resolve(graph, RULES)
    load_csv(
        [
            {"source_id": "2", "first_name": "Jonathon", "last_name": "Smith", "email": "j2@x.org", **HOME},
            {"source_id": "3", "first_name": "Mary", "last_name": "Smith", "email": "m@x.org", **HOME},
            {
                "source_id": "4",
                "first_name": "Jonathan",
                "last_name": "Smith",
                "email": "j4@x.org",
                "postcode": "LS1 1AA",
                "birth_date": "1990-01-01",
            },
        ]
    )
    resolve(graph, RULES)
    assert profile_of(graph, "crm:1") == profile_of(graph, "crm:2")
    assert profile_of(graph, "crm:3") != profile_of(graph, "crm:1")
    assert profile_of(graph, "crm:4") != profile_of(graph, "crm:1")
    incremental = partition(graph)
    resolve(graph, RULES, full=True)
    assert partition(graph) == incremental
    path = explain.link(graph, "crm:1", "crm:2", rules=RULES)
    assert [p["type"] for p in path] == ["record", "fuzzy_link", "record"]
    resolve(graph, load_rules(), full=True)
    assert profile_of(graph, "crm:1") != profile_of(graph, "crm:2")
