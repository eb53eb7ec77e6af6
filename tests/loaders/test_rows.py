import datetime as dt
import json

import pytest

from loaders.mapping import load_mapping
from loaders.rows import RowError, RowMapper


def mapper(name: str, **kwargs: object) -> RowMapper:
    options = {"region": "GB", "max_field_length": 100, "source_file": "f.csv"} | kwargs
    return RowMapper(load_mapping(name), **options)  # type: ignore[arg-type]


def test_person_row_is_normalized_with_identifiers() -> None:
    row = {
        "source_id": " 7 ",
        "first_name": "Ann\u00a0Marie",
        "last_name": "Cafe\u0301",
        "email": " Ann@Example.ORG ",
        "phone": "+44 7911 123456",
        "street": "1 High St",
        "postcode": "sw1a 1aa",
        "country": "United Kingdom",
        "city": "",
    }
    mapped = mapper("customers").map(row)
    (person,) = mapped.entities
    assert person.uid == "customers:7"
    assert person.props["first_name"] == "Ann Marie"
    assert person.props["last_name"] == "Caf\u00e9"
    assert person.props["full_name"] == "Ann Marie Caf\u00e9"
    assert person.props["country"] == "GB"
    assert "city" not in person.props
    assert json.loads(person.props["raw"]) == row
    kinds = {i["kind"]: i["value"] for i in person.identifiers}
    assert kinds["email"] == "ann@example.org"
    assert kinds["phone"] == "+447911123456"
    assert kinds["address"].startswith("GB|SW1A1AA|")


def test_same_content_same_hash_and_file_name_does_not_matter() -> None:
    row = {"source_id": "1", "email": "a@b.co"}
    one = mapper("customers").map(row).entities[0]
    two = mapper("customers", source_file="other.csv").map(dict(row)).entities[0]
    assert one.row_hash == two.row_hash
    changed = mapper("customers").map({"source_id": "1", "email": "c@b.co"}).entities[0]
    assert changed.row_hash != one.row_hash


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ({"first_name": "x"}, "missing id field 'source_id'"),
        ({"source_id": "1", "first_name": "x" * 101}, "first_name: longer than 100"),
    ],
)
def test_bad_rows_give_reasons(row: dict[str, str], reason: str) -> None:
    with pytest.raises(RowError) as info:
        mapper("customers").map(row)
    assert any(reason in r for r in info.value.reasons), info.value.reasons


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("email", "not-an-email", "invalid email"),
        ("phone", "12", "invalid phone"),
        ("birth_date", "1980-45-01", "month must be in 1..12"),
        ("birth_date", "1980-01-92", "day is out of range"),
        ("birth_date", "31/01/1980", "birth_date"),
        ("country", "Atlantis", "country"),
    ],
)
def test_a_bad_optional_value_is_left_out_and_the_record_lands(field: str, value: str, reason: str) -> None:
    row = {"source_id": "1", "last_name": "Smith", "email": "ann@x.org", "phone": "+44 7911 123456"} | {field: value}
    mapped = mapper("customers").map(row)
    (person,) = mapped.entities
    (issue,) = mapped.issues
    assert (issue.entity, issue.field, issue.value) == ("customer", field, value)
    assert reason in issue.reason or reason in field, issue.reason
    assert field not in person.props and person.props["last_name"] == "Smith"
    assert json.loads(person.props["raw"])[field] == value  # nothing is lost
    kinds = {i["kind"] for i in person.identifiers}
    assert ({"email", "phone"} - {field}) <= kinds


def test_strict_fields_reject_the_row(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "strict.toml"
    path.write_text(
        'source = "crm"\n[[entities]]\nname = "customer"\nkind = "person"\nid = "id"\n'
        'fields = { birth_date = "dob" }\nidentifiers = { email = "email" }\nstrict = ["birth_date", "email"]\n'
    )
    strict = RowMapper(load_mapping(path), region="GB", max_field_length=100, source_file="f.csv")
    with pytest.raises(RowError, match="birth_date"):
        strict.map({"id": "1", "dob": "1980-45-01"})
    with pytest.raises(RowError, match="invalid email"):
        strict.map({"id": "1", "email": "nope"})
    assert strict.map({"id": "1", "dob": "1980-01-01", "email": "a@b.co"}).issues == []


def test_every_issue_is_reported() -> None:
    mapped = mapper("customers").map({"source_id": "1", "email": "x", "phone": "1", "birth_date": "no"})
    assert sorted(i.field for i in mapped.issues) == ["birth_date", "email", "phone"]


def test_touchpoint_with_reference_and_wrong_type() -> None:
    m = mapper("shop_orders")
    ok = m.map(
        {
            "order_id": "O-1",
            "customer_id": "S-1",
            "ordered_at": "2024-01-02T03:04:05Z",
            "total": 12.5,
            "currency": "gbp",
            "items": 2,
        }
    )
    order, customer = ok.entities
    assert order.props["at"] == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert order.props["currency"] == "GBP" and order.props["channel"] == "shop"
    assert customer.reference and customer.uid == "shop:S-1"
    (rel,) = ok.relationships
    assert (rel.type, rel.start.uid, rel.end.uid) == ("HAD_TOUCHPOINT", "shop:S-1", "shop:O-1")
    # A required value that fails rejects the row; an optional one is left out.
    with pytest.raises(RowError, match="order.at"):
        m.map({"order_id": "O-2", "customer_id": "S-1", "ordered_at": "yesterday", "total": 1})
    partial = m.map({"order_id": "O-2", "customer_id": "S-1", "ordered_at": "2024-01-02", "total": "abc"})
    assert [(i.entity, i.field) for i in partial.issues] == [("order", "total")]
    assert "amount" not in partial.entities[0].props


def test_optional_entity_and_relationship_props() -> None:
    m = mapper("crm_contacts")
    alone = m.map({"contact_id": "C-1", "email": "a@b.co"})
    assert len(alone.entities) == 1 and alone.relationships == []
    hired = m.map({"contact_id": "C-1", "employer_org_id": "ORG-1", "job_title": "CTO", "employed_since": "2020-01-01"})
    (rel,) = hired.relationships
    assert rel.props == {"title": "CTO", "since": dt.date(2020, 1, 1)}


def test_cypher_looking_values_are_plain_data() -> None:
    evil = "'}) MATCH (n) DETACH DELETE n //"
    (person,) = mapper("customers").map({"source_id": evil, "last_name": evil}).entities
    assert person.uid == f"customers:{evil}"
    assert person.props["last_name"] == evil


def test_keep_drops_unlisted_fields(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.toml"
    path.write_text(
        'source = "s"\nkeep = ["id", "email"]\n[[entities]]\nname = "p"\nkind = "person"\n'
        'id = "id"\nidentifiers = { email = "email" }\n',
        encoding="utf-8",
    )
    m = RowMapper(load_mapping(path), region="GB", max_field_length=100, source_file="f")
    (person,) = m.map({"id": "1", "email": "a@b.co", "ssn": "123-45-6789"}).entities
    assert "ssn" not in person.props["raw"]
