import re

import pytest

import queries


def test_every_statement_loads_and_is_a_single_statement() -> None:
    names = queries.names()
    assert len(names) > 20
    for name in names:
        text = queries.load(name)
        assert text.strip(), name
        code = "\n".join(line.split("//", 1)[0] for line in text.splitlines())
        assert ";" not in code, f"{name}: one statement per file"


@pytest.mark.parametrize("name", ["../pyproject", "schema_customer_uid.cypher", "nope", "a b", ""])
def test_only_catalog_names_load(name: str) -> None:
    with pytest.raises(KeyError):
        queries.load(name)


def test_values_are_parameters_never_formatted_in() -> None:
    for name in queries.names():
        text = queries.load(name)
        assert not re.search(r"\{\d*\}|%s|\$\{", text), f"{name} looks like a template"
