from pathlib import Path

import pytest

from graph.identity.rules import RulesError, load_rules


def test_default_rules() -> None:
    rules = load_rules()
    assert {"email", "phone", "login", "loyalty"} <= set(rules.strong)
    assert "address" not in rules.strong
    assert rules.caps()["email"] >= 2
    assert load_rules(enforce_caps=False).caps()["email"] > 10**9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version = 2\n[kinds.email]\nstrength = 'strong'\ncap = 3\n", "version"),
        ("[kinds.email]\nstrength = 'sometimes'\ncap = 3\n", "strength"),
        ("[kinds.email]\nstrength = 'strong'\ncap = 0\n", "cap"),
        (
            "[kinds.email]\nstrength = 'strong'\ncap = 3\n[[derived]]\nkind = 'x'\nfields = ['first_name']\n",
            "derived kinds need",
        ),
        ("[kinds.email]\nstrength = 'strong'\ncap = 3\n[[derived]]\nkind = 'x'\nfields = ['shoe_size']\n", "fields"),
    ],
)
def test_invalid_rules_are_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text)
    with pytest.raises(RulesError, match=message):
        load_rules(path)
