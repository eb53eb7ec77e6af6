"""Touchpoints: orders, visits, emails, tickets — what a person did, when, on which channel."""

from datetime import datetime

import strawberry

from resolvers import ids
from resolvers.store import Row
from resolvers.types.base import Node

__all__ = ["Touchpoint"]


@strawberry.type(description="One interaction of a person with the business.")
class Touchpoint(Node):
    uid: str
    source: str | None
    channel: str | None
    type: str | None
    at: datetime | None
    amount: float | None
    currency: str | None
    campaign: str | None
    subject: str | None
    page: str | None
    sentiment: str | None = strawberry.field(
        default=None, description="positive / neutral / negative, for texts in the person's words (tickets)."
    )
    sentiment_score: float | None = strawberry.field(default=None, description="VADER compound score in [-1, 1].")
    record_id: strawberry.ID | None = strawberry.field(description="The source record that had it.")

    @classmethod
    def from_row(cls, row: Row) -> "Touchpoint":
        record = row.get("record_uid")
        amount = row.get("amount")
        return cls(
            id=strawberry.ID(ids.encode("Touchpoint", row["uid"])),
            uid=row["uid"],
            source=row.get("source"),
            channel=row.get("channel"),
            type=row.get("type"),
            at=row.get("at"),
            amount=float(amount) if isinstance(amount, int | float) else None,
            currency=row.get("currency"),
            campaign=row.get("campaign"),
            subject=row.get("subject"),
            page=row.get("page"),
            sentiment=row.get("sentiment"),
            sentiment_score=row.get("sentiment_score"),
            record_id=strawberry.ID(ids.encode("SourceRecord", record)) if record else None,
        )
