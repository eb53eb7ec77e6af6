"""Where bad input goes: one JSON line each, with the file, line, raw row and every reason.

`kind` says what was rejected: "row" (nothing of it landed: unparseable, no key, a required or
strict value invalid) or "field" (the record landed without this one value, named in `field`).

Quarantine files hold raw personal data, so they are private to the user running c360 (files
0600, the directory c360 creates for them 0700, whatever the umask), and erasure reaches them:
`purge` rewrites every file under the quarantine directory without the entries a matcher
names. Writers and purges serialize on an advisory lock (flock) on the file; a writer that
finds the file replaced by a purge reopens it, so no entry is written into a discarded file.
"""

import contextlib
import fcntl
import glob
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

__all__ = ["Matcher", "Quarantine", "counts", "private_directory", "purge"]

# True for a quarantine entry (a parsed line: source, mapping, raw, ...) that must go.
Matcher = Callable[[dict[str, Any]], bool]

_FILE_MODE = 0o600
_DIR_MODE = 0o700


def private_directory(folder: Path) -> Path:
    """c360's own quarantine directory (`$C360_HOME/quarantine`), created or tightened to 0700."""
    _private_dirs(folder)
    os.chmod(folder, _DIR_MODE)
    return folder


def _private_dirs(path: Path) -> None:
    """Create the missing directories of `path` as 0700; existing ones are not c360's to change."""
    missing: list[Path] = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=_DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, _DIR_MODE)  # mkdir's mode is filtered by the umask


def _open_private(path: Path, flags: int) -> int:
    fd = os.open(path, flags | os.O_CLOEXEC, _FILE_MODE)
    os.fchmod(fd, _FILE_MODE)  # the umask filters os.open's mode, and the file may predate us
    return fd


def _is_current(fd: int, path: Path) -> bool:
    """Whether `fd` still is the file at `path` (a purge replaces files)."""
    try:
        at_path = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (at_path.st_dev, at_path.st_ino)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _encode(entry: dict[str, Any]) -> bytes:
    text = json.dumps(entry, ensure_ascii=False, default=str)
    try:
        return (text + "\n").encode("utf-8")
    except UnicodeEncodeError:  # unpaired surrogates from JSON escapes: keep them escaped
        return (json.dumps(entry, ensure_ascii=True, default=str) + "\n").encode("ascii")


class Quarantine:
    """Append-only JSONL sink; opened lazily so a clean load leaves no empty file behind."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._fd: int | None = None

    def put(
        self,
        *,
        file: str,
        line: int,
        source: str,
        mapping: str,
        raw: Any,
        reasons: list[str],
        kind: str = "row",
        field: str | None = None,
        value: Any = None,
    ) -> None:
        entry = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "kind": kind,
            "file": file,
            "line": line,
            "source": source,
            "mapping": mapping,
            "reasons": reasons,
            "raw": raw,
        }
        if kind == "field":
            entry |= {"field": field, "value": value}
        data = _encode(entry)
        fd = self._locked()
        try:
            _write_all(fd, data)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
        self.count += 1

    def _locked(self) -> int:
        """The open file, under an exclusive lock, and still the one at `self.path`."""
        while True:
            if self._fd is None:
                _private_dirs(self.path.parent)
                self._fd = _open_private(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            if _is_current(self._fd, self.path):
                return self._fd
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def purge(folder: Path, matches: Matcher) -> int:
    """Drop the entries `matches` names from every `*.jsonl` file in `folder`; returns how many.

    Each file is rewritten to a private temporary file and renamed over the original, under
    the file's lock; a file left empty is removed.
    """
    if not folder.is_dir():
        return 0
    for stale in folder.glob(".*.jsonl.*.purge"):
        # The copy of a killed purge whose file is gone: only a purge holding that file's lock
        # writes its copy, and a purge removes the file only under that lock, so none is writing.
        if not stale.with_name(_purged_name(stale)).exists():
            stale.unlink(missing_ok=True)
    return sum(_purge_file(path, matches) for path in sorted(folder.glob("*.jsonl")))


def _purged_name(temporary: Path) -> str:
    # ".<name>.<pid>.purge" -> "<name>"
    return temporary.name[1:].rsplit(".", 2)[0]


def _entry(line: bytes) -> dict[str, Any]:
    try:
        entry = json.loads(line)
    except ValueError:
        entry = None
    # A line that is no entry (a torn write) is judged by its text.
    return entry if isinstance(entry, dict) else {"raw": line.decode("utf-8", errors="replace")}


def _purge_file(path: Path, matches: Matcher) -> int:
    while True:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return 0
        fcntl.flock(fd, fcntl.LOCK_EX)
        if _is_current(fd, path):
            break
        os.close(fd)  # replaced while we waited for the lock: purge the new one
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.purge"):
        # Left by a purge killed mid-rewrite; under the lock nobody else is writing one.
        stale.unlink(missing_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.purge")
    dropped = kept = 0
    try:
        out = _open_private(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        try:
            with os.fdopen(os.dup(fd), "rb") as original:
                for line in original:
                    if matches(_entry(line)):
                        dropped += 1
                    else:
                        _write_all(out, line)
                        kept += 1
            os.fsync(out)
        finally:
            os.close(out)
        if not dropped:
            temporary.unlink()
        elif kept:
            os.replace(temporary, path)
        else:
            temporary.unlink()
            path.unlink()
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)  # releases the lock; waiting writers find the file replaced and reopen
    return dropped


def counts(directory: Path, limit: int = 50) -> list[tuple[str, int]]:
    """Quarantined rows per file in `directory` (one file per load, plus events.jsonl), newest
    file first: what the data-quality dashboard shows without reading anyone's rows."""
    if not directory.is_dir():
        return []
    # A purge (erasure) may remove a file between the listing and the read: it is left out.
    stamped = []
    for file in directory.glob("*.jsonl"):
        with contextlib.suppress(FileNotFoundError):
            stamped.append((file.stat().st_mtime, file))
    found = []
    for _, file in sorted(stamped, key=lambda item: item[0], reverse=True)[:limit]:
        with contextlib.suppress(FileNotFoundError), file.open("rb") as handle:
            found.append((file.name, sum(1 for _ in handle)))
    return found
