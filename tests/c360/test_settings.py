from pathlib import Path

import pytest
from pydantic import ValidationError

from c360.settings import Settings


def test_env_vars_configure_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("C360_HOME", "/tmp/x")
    monkeypatch.setenv("C360_BATCH_SIZE", "123")
    monkeypatch.setenv("C360_API_WORKERS", "3")
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://example.databases.neo4j.io")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    settings = Settings()
    assert settings.home == Path("/tmp/x") and settings.batch_size == 123 and settings.api_workers == 3
    assert not settings.managed
    assert "secret" not in repr(settings)


def test_managed_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert Settings().managed


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("C360_NEO4J_HEAP", "lots"),
        ("C360_NEO4J_BOLT_PORT", "99999"),
        ("C360_DEFAULT_REGION", "GBR"),
        ("C360_API_WORKERS", "0"),
    ],
)
def test_bad_values_are_rejected(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()
