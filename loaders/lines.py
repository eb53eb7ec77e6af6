"""The physical lines of a source file, each held in memory only up to a cap.

A line longer than the cap is skipped in bounded chunks and reported, with its first bytes,
as too long: one hostile line (or a gzip bomb that inflates to gigabytes without a newline)
costs a bounded amount of memory and never stops the file. `.gz` files are inflated as they
are read, never as a whole.
"""

import gzip
import io
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

__all__ = ["PREVIEW_BYTES", "Lines", "SourceError", "TooLong", "preview"]

# How much of a rejected line the quarantine keeps: enough to recognise it, never the whole.
PREVIEW_BYTES = 512
_SKIP_CHUNK = 1 << 16
_BOM = b"\xef\xbb\xbf"
# BadGzipFile is an OSError; a truncated stream raises EOFError.
_BROKEN = (OSError, EOFError, zlib.error)


class SourceError(Exception):
    """The file itself cannot be read further (a corrupt or truncated gzip stream)."""


class TooLong(bytes):
    """What is kept of a line over the cap: its first bytes."""


def preview(data: bytes) -> str:
    """The start of a rejected line as text, for the quarantine."""
    head = data[:PREVIEW_BYTES].decode("utf-8", errors="replace").rstrip("\r\n")
    return head + "…" if len(data) > PREVIEW_BYTES else head


class _CountingReader(io.RawIOBase):
    """Counts bytes taken from the file (compressed ones for .gz), for progress against its size."""

    def __init__(self, inner: IO[bytes]) -> None:
        self._inner = inner
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        self.consumed += len(data)
        return len(data)


class Lines:
    """Iterates a file's lines; a UTF-8 byte order mark at the start of the file is dropped."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        self._file = path.open("rb")
        self._counter = _CountingReader(self._file)
        buffered = io.BufferedReader(self._counter, buffer_size=_SKIP_CHUNK)
        # GzipFile inflates at most what each read asks for, so readline(limit) stays bounded.
        self._stream: io.BufferedIOBase = (
            gzip.GzipFile(fileobj=buffered, mode="rb") if path.suffix.lower() == ".gz" else buffered
        )
        self._limit = max_bytes + 1
        self.number = 0  # of the line last returned

    @property
    def consumed(self) -> int:
        return self._counter.consumed

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        """The next line with its line end (`number` is its line number), or `TooLong`."""
        # Plain bytes and no helper calls: this runs once per source row.
        try:
            data = self._stream.readline(self._limit)
        except _BROKEN as exc:
            raise SourceError(f"unreadable after line {self.number}: {exc}") from exc
        if not data:
            raise StopIteration
        self.number += 1
        if self.number == 1:
            data = data.removeprefix(_BOM)
        if len(data) < self._limit or data.endswith(b"\n"):
            return data
        head = TooLong(data[: PREVIEW_BYTES + 1])
        del data  # drop the capped line before skipping the rest of it
        try:
            while (chunk := self._stream.readline(_SKIP_CHUNK)) and not chunk.endswith(b"\n"):
                pass
        except _BROKEN as exc:
            raise SourceError(f"unreadable after line {self.number}: {exc}") from exc
        return head

    def close(self) -> None:
        try:
            self._stream.close()
        finally:
            self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
