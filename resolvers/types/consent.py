"""Consent: the statement in force per purpose and channel, and the filter that selects people
who may be contacted."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, TypeAlias

import strawberry

from graph.privacy.consent import STATUSES, Statement
from resolvers.permissions import IsSteward

__all__ = ["ConsentFilter", "ConsentStatement", "ConsentStatus"]


# Derived from the engine's statuses (graph.privacy.consent.Status), so the two never disagree.
if TYPE_CHECKING:
    ConsentStatus: TypeAlias = Enum
else:
    ConsentStatus = strawberry.enum(
        Enum("ConsentStatus", {status.upper(): status for status in STATUSES}),
        description="What the person said for a purpose and channel.",
    )


@strawberry.input(
    description="Only people whose consent for this purpose and channel is granted and in force, "
    "and whose processing is not restricted."
)
class ConsentFilter:
    purpose: str = strawberry.field(description="marketing, analytics, personalization, ...")
    channel: str = strawberry.field(description="email, sms, phone, web, ...")


@strawberry.type(description="A consent statement: the latest per purpose and channel is in force.")
class ConsentStatement:
    uid: str
    purpose: str
    channel: str
    status: ConsentStatus
    at: datetime = strawberry.field(description="When the person made the statement.")
    recorded_at: datetime | None = strawberry.field(description="When c360 learned of it.")
    source: str | None = strawberry.field(description="The source system, or c360 when set through the API.")
    statement: strawberry.Private[Statement]

    @classmethod
    def of(cls, statement: Statement) -> "ConsentStatement":
        return cls(
            uid=statement.uid,
            purpose=statement.purpose,
            channel=statement.channel,
            status=ConsentStatus(statement.status),
            at=statement.at,
            recorded_at=statement.recorded_at,
            source=statement.source,
            statement=statement,
        )

    @strawberry.field(permission_classes=[IsSteward], description="Where it was made: form, call id (steward, admin).")
    def evidence(self) -> str | None:
        return self.statement.evidence

    @strawberry.field(permission_classes=[IsSteward], description="Who recorded it through c360 (steward, admin).")
    def by(self) -> str | None:
        return self.statement.by
