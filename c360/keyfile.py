"""Server secrets kept in files under `C360_HOME` (or given in the environment), read at the edge.

The layers below get the key as bytes; only here does anything know where it lives.
"""

import os
import secrets
from pathlib import Path

from c360.settings import Settings
from graph.privacy import suppression

__all__ = ["API_ID_KEY_FILE", "api_id_key", "load_or_create", "suppression_key"]

API_ID_KEY_FILE = "api-id.key"


def load_or_create(path: Path) -> bytes:
    """The key in `path`, generated (256 random bits, mode 0600) when the file does not exist yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: two processes (API workers) generating at once must not end up with two keys.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="ascii").strip().encode()


def suppression_key(settings: Settings) -> bytes:
    """`C360_SUPPRESSION_KEY`, else `$C360_HOME/suppression.key`: the HMAC key of erasure suppression
    entries (graph/privacy/suppression.py)."""
    if settings.suppression_key is not None:
        return settings.suppression_key.get_secret_value().encode()
    return load_or_create(settings.home / suppression.KEY_FILE)


def api_id_key(settings: Settings) -> bytes:
    """`C360_API_ID_KEY`, else `$C360_HOME/api-id.key`: the HMAC key of masked identifier ids."""
    if settings.api_id_key is not None:
        return settings.api_id_key.get_secret_value().encode()
    return load_or_create(settings.home / API_ID_KEY_FILE)
