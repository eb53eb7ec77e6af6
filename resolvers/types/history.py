"""Resolution history and link explanations: why records are (or are no longer) one profile."""

from datetime import datetime
from enum import Enum

import strawberry

from resolvers import ids
from resolvers.store import Row
from resolvers.types.base import Info
from resolvers.types.matching import MatchScore
from resolvers.types.record import SourceRecord

__all__ = ["LinkExplanation", "LinkStep", "LinkStepKind", "ResolutionEvent"]


@strawberry.type(description="A create, merge, split, link or unlink of a profile: what, when, who, why.")
class ResolutionEvent:
    id: str
    at: datetime | None
    kind: str
    reason: str | None
    by: str | None
    record_ids: list[strawberry.ID]
    from_profile_ids: list[strawberry.ID]

    @classmethod
    def from_row(cls, row: Row) -> "ResolutionEvent":
        return cls(
            id=row["eid"],
            at=row.get("at"),
            kind=row.get("kind") or "",
            reason=row.get("reason"),
            by=row.get("by"),
            record_ids=[strawberry.ID(ids.encode("SourceRecord", uid)) for uid in row.get("records") or []],
            from_profile_ids=[strawberry.ID(ids.encode("Profile", pid)) for pid in row.get("from_pids") or []],
        )


@strawberry.enum
class LinkStepKind(Enum):
    RECORD = "record"
    IDENTIFIER = "identifier"
    STEWARD_LINK = "steward_link"
    SCORED_LINK = "scored_link"
    FUZZY_LINK = "fuzzy_link"


@strawberry.type(
    description="One step of a link chain: a record, or the identifier, steward or scored link joining two."
)
class LinkStep:
    kind: LinkStepKind
    record_id: strawberry.ID | None
    source: str | None
    identifier_key: str | None
    identifier_kind: str | None
    rule: str | None = strawberry.field(description="The match rule that made the identifier link.")
    score: MatchScore | None = strawberry.field(
        default=None, description="For a scored link: its probability and the waterfall of match weights."
    )

    @strawberry.field
    async def record(self, info: Info) -> SourceRecord | None:
        if self.record_id is None:
            return None
        row = await info.context.loaders.record.load(ids.decode(self.record_id, "SourceRecord")[1])
        return SourceRecord.from_row(row) if row else None

    @classmethod
    def from_item(cls, item: Row) -> "LinkStep":
        if item.get("type") == "record":
            return cls(
                kind=LinkStepKind.RECORD,
                record_id=strawberry.ID(ids.encode("SourceRecord", item["uid"])),
                source=item.get("source"),
                identifier_key=None,
                identifier_kind=None,
                rule=None,
            )
        kinds = {k.value: k for k in LinkStepKind}
        kind = kinds.get(str(item.get("type")), LinkStepKind.IDENTIFIER)
        return cls(
            kind=kind,
            record_id=None,
            source=None,
            identifier_key=item.get("key"),
            identifier_kind=item.get("kind"),
            rule=item.get("rule"),
            score=MatchScore.of(item["score"]) if item.get("score") else None,
        )


@strawberry.type(description="Why two records are in one profile: the chain of identifiers linking them.")
class LinkExplanation:
    linked: bool
    steps: list[LinkStep]
