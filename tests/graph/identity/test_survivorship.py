from graph.identity.rules import Survivorship
from graph.identity.survivorship import Candidate, golden

RULES = Survivorship(source_priority=["crm", "shop"], order=["source_priority", "most_recent", "most_frequent"])


def test_source_priority_then_recency_then_frequency() -> None:
    values, prov = golden(
        RULES,
        {
            "first_name": [Candidate("Ann", "shop", "shop:1", "2024"), Candidate("Anne", "crm", "crm:1", "2020")],
            "city": [Candidate("Leeds", "web", "web:1", "2024-02"), Candidate("York", "web", "web:2", "2024-05")],
            "last_name": [
                Candidate("Smith", "web", "web:1", "x"),
                Candidate("Smith", "web", "web:2", "x"),
                Candidate("Smyth", "web", "web:3", "x"),
            ],
        },
    )
    assert values == {"first_name": "Anne", "city": "York", "last_name": "Smith"}
    assert prov["first_name"]["rule"] == "source_priority" and prov["first_name"]["uid"] == "crm:1"
    assert prov["city"]["rule"] == "most_recent"
    assert prov["last_name"]["rule"] == "most_frequent"
    assert len(prov["first_name"]["candidates"]) == 2


def test_steward_override_wins() -> None:
    values, prov = golden(
        RULES,
        {"city": [Candidate("Leeds", "crm", "crm:1", "2024")]},
        {"city": {"value": "Hull", "by": "ann", "at": "2025"}},
    )
    assert values["city"] == "Hull"
    assert prov["city"]["rule"] == "steward_override" and prov["city"]["by"] == "ann"
    assert prov["city"]["candidates"][0]["value"] == "Leeds"


def test_provenance_does_not_depend_on_the_order_identifiers_were_read() -> None:
    # One record with two emails (its identifiers come back in graph order, which a rebuild
    # does not keep): the same golden value and the same provenance, candidate for candidate.
    two = [Candidate("a@x.org", "crm", "crm:1", "t"), Candidate("b@x.org", "crm", "crm:1", "t")]
    other = [Candidate("c@x.org", "shop", "shop:1", "t")]
    first = golden(RULES, {"email": [*two, *other]})
    second = golden(RULES, {"email": [*other, *reversed(two)]})
    assert first == second
    assert [c["value"] for c in first[1]["email"]["candidates"]] == ["a@x.org", "b@x.org", "c@x.org"]
