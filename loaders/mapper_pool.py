"""Map source rows in worker processes, handing the outcomes back in the order the rows were read.

The parent keeps reading (and so reporting progress), quarantining and folding; workers only
apply the mapping. Rows go out in chunks, a bounded number in flight, and come back in
submission order, so whatever consumes them sees exactly the sequence a single process would:
the same rows, the same outcomes, the same order.

A mapped row crosses the process boundary as plain tuples, not as its dataclasses: pickling a
slotted frozen dataclass goes through Python-level state methods and cost as much as mapping
the row did. Even so, receiving a row (unpickle, rebuild) costs the parent about a third of
what mapping it costs a worker, so on 2 cores (the parent and a worker already fill them) one
process is faster; more workers pay where cores are spare (README, Performance).
"""

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from loaders.mapping import Mapping
from loaders.readers import RawRow
from loaders.rows import EntityRow, FieldIssue, MappedRow, RelationshipRow, RowError, RowMapper

__all__ = ["Mapped", "MapperPool", "MapperSpec", "map_row"]

Mapped = MappedRow | list[str]
"""A row's outcome: the mapped row, or the reasons it goes to the quarantine."""

CHUNK_ROWS = 500
"""Rows per task: large enough that a task's overhead is noise, small enough to keep both busy."""


def map_row(mapper: RowMapper, data: dict[str, Any] | None, error: str | None) -> Mapped:
    """What one read row (`RawRow.data`, `.error`) becomes; never raises (a row the mapper
    chokes on is that row's problem)."""
    if data is None:
        return [error] if error else []
    try:
        return mapper.map(data)
    except RowError as exc:
        return exc.reasons
    except Exception as exc:  # noqa: BLE001 - see above
        return [f"could not map row: {type(exc).__name__}: {exc}"]


@dataclass(frozen=True)
class MapperSpec:
    """What a worker needs to build one file's mapper; `token` names the file within a load."""

    token: int
    mapping: Mapping
    region: str
    max_field_length: int
    source_file: str

    def mapper(self) -> RowMapper:
        return RowMapper(
            self.mapping, region=self.region, max_field_length=self.max_field_length, source_file=self.source_file
        )


_Packed = tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]


def _pack(row: MappedRow) -> _Packed:
    place = {id(entity): n for n, entity in enumerate(row.entities)}
    entities = tuple(
        (e.kind, e.uid, e.source, e.source_id, e.reference, e.accumulate)
        + (e.props, e.identifiers, e.updated_at, e.row_hash)
        for e in row.entities
    )
    links = tuple(
        (r.type, place[id(r.start)], place[id(r.end)], r.source, r.props, r.updated_at) for r in row.relationships
    )
    return entities, links, tuple((i.entity, i.field, i.value, i.reason) for i in row.issues)


def _unpack(packed: _Packed) -> MappedRow:
    entities = [EntityRow(*fields) for fields in packed[0]]
    relationships = [RelationshipRow(r[0], entities[r[1]], entities[r[2]], r[3], r[4], r[5]) for r in packed[1]]
    return MappedRow(entities, relationships, [FieldIssue(*fields) for fields in packed[2]])


# One mapper per file, per worker process: built on the first chunk of that file it is given.
_MAPPERS: dict[int, RowMapper] = {}


def _map_chunk(spec: MapperSpec, rows: list[tuple[dict[str, Any] | None, str | None]]) -> list[_Packed | list[str]]:
    mapper = _MAPPERS.get(spec.token)
    if mapper is None:
        mapper = _MAPPERS[spec.token] = spec.mapper()
    out: list[_Packed | list[str]] = []
    for data, error in rows:
        outcome = map_row(mapper, data, error)
        out.append(outcome if isinstance(outcome, list) else _pack(outcome))
    return out


class MapperPool:
    """`workers` processes mapping chunks of rows; `map` yields outcomes in the order of its input."""

    def __init__(self, workers: int) -> None:
        # spawn, not fork: the parent may hold threads (the progress bar's, the driver's) whose
        # locks a forked child would inherit mid-use.
        self._executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        self._in_flight = 4 * workers

    def map(self, spec: MapperSpec, rows: Iterable[RawRow]) -> Iterator[tuple[RawRow, Mapped]]:
        window: deque[tuple[list[RawRow], Future[list[_Packed | list[str]]]]] = deque()
        chunk: list[RawRow] = []
        for raw in rows:
            chunk.append(raw)
            if len(chunk) >= CHUNK_ROWS:
                window.append((chunk, self._submit(spec, chunk)))
                chunk = []
                if len(window) > self._in_flight:
                    yield from _results(*window.popleft())
        if chunk:
            window.append((chunk, self._submit(spec, chunk)))
        while window:
            yield from _results(*window.popleft())

    def _submit(self, spec: MapperSpec, chunk: list[RawRow]) -> "Future[list[_Packed | list[str]]]":
        # Only what mapping needs: the raw text stays here, for the quarantine.
        return self._executor.submit(_map_chunk, spec, [(raw.data, raw.error) for raw in chunk])

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _results(chunk: list[RawRow], future: "Future[list[_Packed | list[str]]]") -> Iterator[tuple[RawRow, Mapped]]:
    for raw, outcome in zip(chunk, future.result(), strict=True):
        yield raw, outcome if isinstance(outcome, list) else _unpack(outcome)
