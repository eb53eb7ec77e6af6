"""Probabilistic matching in the API: a pair's score with its waterfall, and review items."""

from typing import Any

import strawberry

from resolvers import ids
from resolvers.types.base import Info
from resolvers.types.record import SourceRecord

__all__ = ["MatchContribution", "MatchScore", "ReviewItem"]


@strawberry.type(description="One step of a match-weight waterfall: the prior, or a comparison at its level.")
class MatchContribution:
    comparison: str
    level: str
    match_weight: float


@strawberry.type(description="A scored pair: probability, match weight (log2 odds), per-comparison contributions.")
class MatchScore:
    scored: str = strawberry.field(description="link (above the link threshold) or possible_match (review band).")
    probability: float
    match_weight: float
    model_version: str
    waterfall: list[MatchContribution]

    @classmethod
    def of(cls, score: dict[str, Any]) -> "MatchScore":
        return cls(
            scored=score["scored"],
            probability=score["probability"],
            match_weight=score["weight"],
            model_version=score["model_version"],
            waterfall=[
                MatchContribution(comparison=s["comparison"], level=s["level"], match_weight=s["weight"])
                for s in score["waterfall"]
            ],
        )


@strawberry.type(description="A possible match waiting for a steward: accept links, reject keeps apart for good.")
class ReviewItem:
    record_a_id: strawberry.ID
    record_b_id: strawberry.ID
    score: MatchScore

    @strawberry.field
    async def record_a(self, info: Info) -> SourceRecord | None:
        row = await info.context.loaders.record.load(ids.decode(self.record_a_id, "SourceRecord")[1])
        return SourceRecord.from_row(row) if row else None

    @strawberry.field
    async def record_b(self, info: Info) -> SourceRecord | None:
        row = await info.context.loaders.record.load(ids.decode(self.record_b_id, "SourceRecord")[1])
        return SourceRecord.from_row(row) if row else None
