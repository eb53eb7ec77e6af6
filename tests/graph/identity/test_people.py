"""How many people the records sharing an identifier look like (pure; no graph needed)."""

from graph.identity import people
from graph.identity.rules import load_rules

T = load_rules().people.surname_similarity


def test_one_person_through_typos_swaps_nicknames_and_gaps() -> None:
    records = [
        {"first_name": "Robert", "last_name": "Smith", "birth_date": "1980-04-03"},
        {"first_name": "Bob", "last_name": "Smtih"},
        {"first_name": "Smith", "last_name": "Robert", "birth_date": "1980-04-03"},
        {"full_name": "Rob  SMITH"},
        {"first_name": "Robert", "full_name": "Robert"},  # surname missing: no evidence
        {"full_name": "Roberts"},  # one word: first or last name, no evidence
        {"last_name": "Robrt"},  # swapped, then the other name lost: a first name as surname
        {},
    ]
    assert people.count_people(records, T) == 1


def test_particles_and_accents_are_one_surname() -> None:
    assert people.count_people([{"last_name": "de la Fontaine"}, {"full_name": "Jean Fontaine"}], T) == 1
    assert people.count_people([{"last_name": "Müller"}, {"last_name": "MULLER"}], T) == 1


def test_different_birth_dates_or_surnames_are_different_people() -> None:
    same_name = [{"last_name": "Smith", "birth_date": d} for d in ("1980-01-01", "1950-02-02")]
    assert people.count_people(same_name, T) == 2
    strangers = [{"first_name": "Ann", "last_name": s} for s in ("Smith", "Okafor", "Nakamura")]
    assert people.count_people(strangers, T) == 3


def test_count_does_not_depend_on_order() -> None:
    records = [{"last_name": s} for s in ("Smith", "Smyth", "Smithe", "Jones", "Jonas")]
    assert people.count_people(records, T) == people.count_people(list(reversed(records)), T) == 2


def test_rules_decide_with_cap_and_people() -> None:
    rules = load_rules()
    assert not rules.holds_out("email", 12, 1)
    assert rules.holds_out("email", 12, 2)
    assert rules.holds_out("email", rules.kinds["email"].cap + 1, 1)
    assert not load_rules(enforce_caps=False).holds_out("email", 10**6, 50)
