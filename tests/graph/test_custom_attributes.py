"""Custom attributes from mappings, against the real Neo4j: typed and stored per record, golden by
survivorship, searchable, usable in segments; a bad value is a field-level problem and the
record still lands (strict on request)."""

import json
from pathlib import Path
from typing import Any

import pytest

from graph import segments
from graph.attributes import convert
from graph.connection import Graph
from graph.identity import load_rules, resolve
from loaders.manifest import plan
from loaders.mapping import MappingError, load_mapping
from loaders.pipeline import LoadOptions, LoadSummary, load
from loaders.quarantine import Quarantine
from resolvers.search import lucene_query

MAPPING = """
source = "{source}"
[[entities]]
name = "person"
kind = "person"
id = "id"
updated_at = "updated"
fields = {{ first_name = "first" }}
identifiers = {{ email = "email" }}
attributes = {{ loyalty_tier = "tier", household_size = {{ field = "hh", type = "int" }}, score = {{ field = "sc", type = "float" }}, vip = {{ field = "vip", type = "bool" }}, member_since = {{ field = "since", type = "date" }} }}
"""  # noqa: E501 - one TOML line, as a user would write it


def _load(graph: Graph, tmp_path: Path, source: str, rows: list[dict[str, Any]], extra: str = "") -> LoadSummary:
    mapping = tmp_path / f"{source}.toml"
    mapping.write_text(MAPPING.format(source=source) + extra, encoding="utf-8")
    data = tmp_path / f"{source}.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with Quarantine(tmp_path / "q.jsonl") as quarantine:
        return load(graph, plan([data], str(mapping), None), quarantine, LoadOptions())


def _profile(graph: Graph, uid: str) -> dict[str, Any]:
    pid = graph.read("profile_of_records", uids=[uid])[0]["pid"]
    return dict(graph.read("api_profiles_by_pid", pids=[pid])[0]["profile"])


def test_conversion_per_type() -> None:
    assert convert("int", "42") == 42 and convert("int", 3.0) == 3
    assert convert("float", "2.5") == 2.5
    assert convert("bool", "Yes") is True and convert("bool", 0) is False
    assert convert("date", "2024-06-01") == "2024-06-01"
    assert convert("string", "  Gold\u00a0 tier ") == "Gold tier"
    for kind, value in [("int", "4.5"), ("int", True), ("float", "NaN"), ("bool", "maybe"), ("date", "01/02/2024")]:
        with pytest.raises(ValueError):
            convert(kind, value)


def test_mapping_validates_attribute_names_types_and_kinds(tmp_path: Path) -> None:
    def bad(text: str) -> str:
        path = tmp_path / "m.toml"
        path.write_text('source = "x"\n[[entities]]\nname = "p"\nid = "id"\n' + text, encoding="utf-8")
        with pytest.raises(MappingError) as info:
            load_mapping(path)
        return str(info.value)

    assert "lower_snake_case" in bad('kind = "person"\nattributes = { "Bad Name" = "x" }\n')
    assert "type" in bad('kind = "person"\nattributes = { n = { field = "x", type = "money" } }\n')
    assert "only person entities" in bad('kind = "device"\nattributes = { n = "x" }\n')


def test_attributes_land_typed_golden_searchable_and_in_segments(graph: Graph, tmp_path: Path) -> None:
    summary = _load(
        graph,
        tmp_path,
        "crm",
        [
            {"id": "1", "email": "ann@x.org", "first": "Ann", "tier": "gold", "hh": "3", "sc": "0.9", "vip": "yes",
             "since": "2019-04-01", "updated": "2024-01-01T00:00:00Z"},
            {"id": "2", "email": "bob@x.org", "first": "Bob", "tier": "silver", "hh": "many", "vip": "no",
             "since": "31/12/2020"},
        ],
    )  # fmt: skip
    # Bob's household size and join date are bad: each is a field problem, and his record lands.
    assert (summary.rows_loaded, summary.rows_quarantined, summary.fields_rejected) == (2, 0, 2)
    entries = [json.loads(line) for line in (tmp_path / "q.jsonl").read_text().splitlines()]
    assert sorted((e["kind"], e["field"], e["value"]) for e in entries) == [
        ("field", "hh", "many"),
        ("field", "since", "31/12/2020"),
    ]
    assert any("int attribute household_size" in r for e in entries for r in e["reasons"])
    # A second source says Ann is platinum, more recently: survivorship picks per attribute.
    _load(graph, tmp_path, "shop", [{"id": "9", "email": "ann@x.org", "tier": "platinum", "hh": 4,
                                     "updated": "2025-01-01T00:00:00Z"}])  # fmt: skip
    resolve(graph, load_rules())
    ann = _profile(graph, "crm:1")
    # source_priority puts crm before shop: crm's gold wins; values keep their types.
    assert ann["attr_loyalty_tier"] == "gold" and ann["attr_household_size"] == 3
    assert ann["attr_score"] == 0.9 and ann["attr_vip"] is True and ann["attr_member_since"] == "2019-04-01"
    golden = json.loads(ann["golden"])
    assert golden["attr_loyalty_tier"]["rule"] == "source_priority"
    assert {c["value"] for c in golden["attr_loyalty_tier"]["candidates"]} == {"gold", "platinum"}
    bob = _profile(graph, "crm:2")
    assert bob["attr_vip"] is False and "attr_household_size" not in bob and "attr_member_since" not in bob

    # Searchable: a string attribute finds its person.
    found = graph.read(
        "api_search_profiles",
        lucene=lucene_query("silver"),
        keys=[],
        hits=50,
        offset=0,
        limit=10,
        see_restricted=True,
        only=None,
    )
    assert [p["pid"] for p in found[0]["profiles"]] == [bob["pid"]]

    # Segments: typed comparisons; the attribute name is checked and goes in as a parameter.
    big = {
        "where": {
            "and": [{"attribute": "household_size", "op": "gte", "value": 3}, {"attribute": "vip", "value": True}]
        }
    }
    assert segments.preview(graph, big).sample == [ann["pid"]]
    since = {"where": {"attribute": "member_since", "op": "lt", "value": "2020-01-01"}}
    assert segments.preview(graph, since).sample == [ann["pid"]]
    assert segments.save(graph, "gold", {"where": {"attribute": "loyalty_tier", "value": "gold"}}, by="t")["size"] == 1
    with pytest.raises(segments.SegmentError):
        segments.parse({"where": {"attribute": "x'] OR true //", "value": 1}})

    # The attribute goes from the profile when no record has it any more.
    graph.driver.execute_query(
        "MATCH (c:Customer {uid: 'crm:2'}) REMOVE c.attr_vip SET c.pending = true", database_=graph.database
    )
    resolve(graph, load_rules())
    assert "attr_vip" not in _profile(graph, "crm:2") and _profile(graph, "crm:2")["attr_loyalty_tier"] == "silver"


def test_strict_attribute_rejects_the_row(graph: Graph, tmp_path: Path) -> None:
    summary = _load(
        graph, tmp_path, "crm", [{"id": "1", "email": "a@x.org", "hh": "lots"}], extra='strict = ["household_size"]\n'
    )
    assert (summary.rows_loaded, summary.rows_quarantined, summary.fields_rejected) == (0, 1, 0)
