"""The layer rule: imports only point down, queries < graph < loaders < resolvers < c360.

Every import counts, including ones inside functions and under TYPE_CHECKING: a lazy import
is still a dependency, only a hidden one.
"""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

LAYERS = ("queries", "graph", "loaders", "resolvers", "c360")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
    return found


def _violations(package: str) -> list[str]:
    rank = LAYERS.index(package)
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in _imports(path):
            top = module.split(".")[0]
            if top in LAYERS and LAYERS.index(top) > rank:
                found.append(f"{path.relative_to(ROOT)} imports {module}")
    return found


@pytest.mark.parametrize("package", LAYERS)
def test_imports_only_point_down(package: str) -> None:
    assert _violations(package) == []


def test_the_rule_catches_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from c360.settings import Settings\n    return Settings\n", encoding="utf-8")
    assert "c360.settings" in _imports(module)


def test_no_module_of_the_application_imports_its_cli() -> None:
    """The CLI is the outermost shell: c360/server.py and c360/workers.py serve it, not the reverse
    (they once imported each other)."""
    for path in (ROOT / "c360").glob("*.py"):
        assert not any(m.startswith("c360.cli") for m in _imports(path)), path.name
