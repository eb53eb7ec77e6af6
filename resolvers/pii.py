"""Audit of unmasked personal-data reads: one `api.read_pii` entry per request, not per field.

Fields whose value is personal data (names, emails, phones, addresses, identifiers, source
records) carry the `ReadsPii` extension. When such a field resolves for a steward or admin, the
ids of the people it belongs to (profile ids, record uids: never values) join the request's
`PiiReads`; `PiiAudit` writes them as one entry after execution, in one round trip. The app
role's reads are masked and not recorded.

The entry is written before the response leaves: if it cannot be written, the request fails
rather than hand out personal data nobody can account for.
"""

from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from strawberry.extensions import FieldExtension, SchemaExtension

from graph.privacy import audit

if TYPE_CHECKING:
    from strawberry.types import Info

__all__ = ["ACTION", "PiiAudit", "PiiReads", "ReadsPii"]

ACTION = "api.read_pii"


@dataclass
class PiiReads:
    """What this request read unmasked: subject ids and the `Type.field`s that showed them."""

    subjects: set[str] = field(default_factory=set)
    fields: set[str] = field(default_factory=set)

    def add(self, field_name: str, subjects: Iterable[str]) -> None:
        found = [s for s in subjects if s]
        if found:
            self.subjects.update(found)
            self.fields.add(field_name)


class ReadsPii(FieldExtension):
    """Marks a field whose unmasked value is personal data of its parent object's people; the
    parent's type names them (profile ids, record uids) with a `pii_subjects()` method."""

    def _note(self, info: "Info", source: Any) -> None:
        context = info.context
        if not context.masked:
            context.pii_reads.add(f"{info.path.typename}.{info.field_name}", source.pii_subjects())

    def resolve(self, next_: Callable[..., Any], source: Any, info: "Info", **kwargs: Any) -> Any:
        value = next_(source, info, **kwargs)
        self._note(info, source)
        return value

    async def resolve_async(self, next_: Callable[..., Any], source: Any, info: "Info", **kwargs: Any) -> Any:
        value = await next_(source, info, **kwargs)
        self._note(info, source)
        return value


class PiiAudit(SchemaExtension):
    """Writes the request's `api.read_pii` entry once execution is over."""

    async def on_execute(self) -> AsyncIterator[None]:  # async: the write is awaited before the response
        yield
        context = self.execution_context.context
        reads: PiiReads = context.pii_reads
        if not reads.subjects:
            return
        entry = audit.entry(
            actor=context.principal.name,
            action=ACTION,
            target=sorted(reads.subjects),
            details={"fields": sorted(reads.fields)},
        )
        await context.store.audit(entry)
