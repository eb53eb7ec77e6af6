import pytest

from graph.connection import Graph
from graph.identity import load_rules, resolve, steward
from tests.graph.identity.conftest import Loader, partition, profile_of

RULES = load_rules()

PEOPLE = [
    {"source_id": "1", "email": "a@x.org", "first_name": "Ann"},
    {"source_id": "2", "email": "a@x.org", "phone": "+44 7911 123456"},
    {"source_id": "3", "phone": "+44 7911 123456"},
    {"source_id": "4", "email": "z@x.org"},
]


def test_decisions_hold_through_reload_and_full_rebuild(graph: Graph, load_csv: Loader) -> None:
    load_csv(PEOPLE)
    resolve(graph, RULES)
    assert profile_of(graph, "crm:1") == profile_of(graph, "crm:3")
    steward.unlink(graph, "crm:1", "crm:2", by="test", reason="different people", rules=RULES)
    assert profile_of(graph, "crm:1") != profile_of(graph, "crm:2")
    steward.link(graph, "crm:3", "crm:4", by="test", rules=RULES)
    assert profile_of(graph, "crm:3") == profile_of(graph, "crm:4")
    decided = partition(graph)
    load_csv(PEOPLE)
    resolve(graph, RULES)
    assert partition(graph) == decided
    resolve(graph, RULES, full=True)
    assert partition(graph) == decided
    assert profile_of(graph, "crm:1") != profile_of(graph, "crm:2")


def test_split_puts_each_record_on_its_own(graph: Graph, load_csv: Loader) -> None:
    load_csv(PEOPLE[:3])
    resolve(graph, RULES)
    pid = profile_of(graph, "crm:1")
    after = steward.split(graph, pid, by="test", reason="mixed up", rules=RULES)
    assert len(after) == 3 and pid in after
    resolve(graph, RULES, full=True)
    assert len(partition(graph)) == 3


def test_golden_override_wins_until_withdrawn(graph: Graph, load_csv: Loader) -> None:
    load_csv(PEOPLE[:1])
    resolve(graph, RULES)
    pid = profile_of(graph, "crm:1")

    def first_name() -> str:
        return graph.driver.execute_query(
            "MATCH (p:Profile {pid: $pid}) RETURN p.first_name AS f", pid=pid, database_=graph.database
        ).records[0]["f"]

    steward.set_golden(graph, pid, "first_name", "Annie", by="test", reason="customer call", rules=RULES)
    assert first_name() == "Annie"
    resolve(graph, RULES, full=True)
    assert first_name() == "Annie"
    steward.set_golden(graph, pid, "first_name", None, by="test", rules=RULES)
    assert first_name() == "Ann"


def test_bad_decisions_are_clear_errors(graph: Graph, load_csv: Loader) -> None:
    load_csv(PEOPLE[:1])
    resolve(graph, RULES)
    with pytest.raises(steward.StewardError, match="no such record: crm:nope"):
        steward.link(graph, "crm:1", "crm:nope", by="test", rules=RULES)
    with pytest.raises(steward.StewardError, match="itself"):
        steward.unlink(graph, "crm:1", "crm:1", by="test", rules=RULES)
    with pytest.raises(steward.StewardError, match="no such profile"):
        steward.split(graph, "P-missing", by="test", rules=RULES)
    with pytest.raises(steward.StewardError, match="unknown golden field"):
        steward.set_golden(graph, profile_of(graph, "crm:1"), "password", "x", by="test", rules=RULES)
