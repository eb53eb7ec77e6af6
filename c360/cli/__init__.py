"""The `c360` command line."""

from c360.cli import _analytics, _apikey, _changes, _check, _data, _identity, _matching, _neo4j, _privacy, _serve, _up
from c360.cli._app import app

__all__ = ["app", "main"]

_neo4j.register(app)
_data.register(app)
_identity.register(app)
_matching.register(app)
_up.register(app)
_serve.register(app)
_apikey.register(app)
_privacy.register(app)
_check.register(app)
_changes.register(app)
_analytics.register(app, _identity.export_app)


def main() -> None:
    app()
