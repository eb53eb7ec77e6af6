from pathlib import Path

import pytest

from graph.model import ENTITY_LABELS
from loaders.mapping import MappingError, builtin_names, load_mapping
from loaders.records import RECORD_MODELS

GENERATED = [
    "crm_contacts",
    "crm_organizations",
    "email_events",
    "shop_accounts",
    "shop_customers",
    "shop_orders",
    "support_tickets",
    "web_events",
]


def test_every_entity_kind_has_a_record_model() -> None:
    assert set(ENTITY_LABELS) == set(RECORD_MODELS)


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_mappings_validate(name: str) -> None:
    mapping = load_mapping(name)
    assert mapping.name == name
    assert not mapping.primary.reference


def test_builtins_cover_generated_sources_and_generic_customers() -> None:
    assert set(GENERATED) | {"customers"} <= set(builtin_names())


def test_source_override() -> None:
    assert load_mapping("customers", source="erp").source == "erp"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = 'source = "x"\n[[entities]]\nname = "p"\nkind = "person"\nid = "id"\n'


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('fields = { shoe_size = "s" }\n', "unknown person attribute"),
        ('[[relationships]]\ntype = "KNOWS"\nfrom = "p"\nto = "p"\n', "unknown relationship type"),
        ('[[relationships]]\ntype = "HOLDS"\nfrom = "p"\nto = "p"\n', "expected a account"),
        (
            '[[relationships]]\ntype = "WORKS_AT`]->() DETACH DELETE n //"\nfrom = "p"\nto = "p"\n',
            "unknown relationship type",
        ),
        ('identifiers = { "Email Address" = "e" }\n', "lower_snake_case"),
    ],
)
def test_bad_mappings_are_clear_errors(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        load_mapping(_write(tmp_path, BASE + extra))


def test_kind_is_an_allow_list(tmp_path: Path) -> None:
    with pytest.raises(MappingError, match="kind"):
        load_mapping(_write(tmp_path, BASE.replace('"person"', '"Customer) DETACH DELETE (x"')))


def test_keep_must_cover_used_fields(tmp_path: Path) -> None:
    text = BASE + 'fields = { first_name = "fn" }\nidentifiers = { email = "mail" }\n'
    with pytest.raises(MappingError, match="not kept"):
        load_mapping(_write(tmp_path, 'keep = ["id", "fn"]\n' + text))
    assert load_mapping(_write(tmp_path, 'keep = ["id", "fn", "mail"]\n' + text)).keep == ["id", "fn", "mail"]


def test_unknown_mapping_name() -> None:
    with pytest.raises(MappingError, match="no mapping 'nope'"):
        load_mapping("nope")
