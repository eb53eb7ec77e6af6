"""Change-feed events and webhook endpoints as the API shows them."""

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from resolvers.store import Row

__all__ = ["ChangeEvent", "ChangePage", "WebhookDeadLetter", "WebhookEndpoint", "WebhookSecret"]


@strawberry.type(description="One change, by position. The app role gets ids and types only (fields, data null).")
class ChangeEvent:
    id: str = strawberry.field(description="Event id: deduplicate by it (delivery is at least once).")
    position: int
    cursor: str = strawberry.field(description="Pass as `after` to continue from this event.")
    type: str
    at: datetime
    profile_id: strawberry.ID
    profile_ids: list[strawberry.ID] = strawberry.field(description="Every profile the event concerns.")
    fields: list[str] | None = strawberry.field(description="profile.golden_changed: the changed fields' names.")
    data: JSON | None

    @classmethod
    def of(cls, event: dict[str, Any]) -> "ChangeEvent":
        return cls(cursor=str(event["position"]), **event)


@strawberry.type
class ChangePage:
    events: list[ChangeEvent]
    end_cursor: str = strawberry.field(description="Where the next page starts (also when this one is empty).")
    has_more: bool


@strawberry.type(description="A webhook endpoint (never its secret).")
class WebhookEndpoint:
    id: str
    url: str
    types: list[str] | None
    cursor: int = strawberry.field(description="Last position delivered or skipped.")
    attempts: int = strawberry.field(description="Failed attempts at the next event.")
    next_attempt_at: datetime | None
    last_error: str | None
    dead_letters: int
    created_at: datetime | None

    @classmethod
    def from_row(cls, row: Row) -> "WebhookEndpoint":
        return cls(
            id=row["id"],
            url=row["url"],
            types=row["types"],
            cursor=row["cursor"],
            attempts=row["attempts"],
            next_attempt_at=row["next_at"],
            last_error=row["last_error"],
            dead_letters=row["dead_letters"],
            created_at=row["created_at"],
        )


@strawberry.type(description="A registered endpoint and its signing secret, shown this once.")
class WebhookSecret:
    endpoint: WebhookEndpoint
    secret: str


@strawberry.type(description="An event an endpoint never acknowledged after every retry.")
class WebhookDeadLetter:
    id: str
    endpoint_id: str
    event_id: str
    position: int
    type: str
    attempts: int
    last_error: str | None
    at: datetime
    replay: bool

    @classmethod
    def from_row(cls, row: Row) -> "WebhookDeadLetter":
        return cls(**{name: row[name] for name in cls.__annotations__})
