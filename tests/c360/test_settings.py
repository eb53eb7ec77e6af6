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


def test_api_config_is_derived_from_settings_with_its_defaults() -> None:
    import dataclasses

    from c360.runtime import api_config

    settings = Settings(api_port=9999, api_jwt_algorithms=["HS256"])
    config = api_config(settings)
    assert config.port == 9999 and config.jwt_algorithms == ("HS256",)
    for item in dataclasses.fields(config):
        # `api_*` settings, and the change feed's own knobs under their own names.
        name = f"api_{item.name}" if f"api_{item.name}" in Settings.model_fields else item.name
        default = Settings.model_fields[name].get_default(call_default_factory=True)
        if item.name not in ("port", "jwt_algorithms", "jwt_key"):
            assert getattr(config, item.name) == default, item.name
