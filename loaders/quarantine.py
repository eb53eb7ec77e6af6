"""Where bad rows go: one JSON line each, with the file, line, raw row and every reason."""

import json
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

__all__ = ["Quarantine"]


class Quarantine:
    """Append-only JSONL sink; opened lazily so a clean load leaves no empty file behind."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._handle: IO[str] | None = None

    def put(self, *, file: str, line: int, source: str, mapping: str, raw: Any, reasons: list[str]) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("a", encoding="utf-8")
        entry = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "file": file,
            "line": line,
            "source": source,
            "mapping": mapping,
            "reasons": reasons,
            "raw": raw,
        }
        self._handle.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
