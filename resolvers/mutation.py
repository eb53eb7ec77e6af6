"""The Mutation root: steward decisions, golden-value overrides, consent and restriction, data-subject
export and erasure, real-time events, key revocation."""

from datetime import UTC, datetime
from enum import Enum
from typing import TYPE_CHECKING, TypeAlias, cast

import strawberry
from strawberry.scalars import JSON

from graph.identity import steward
from resolvers import changes, ids, privacy, review, segments, stewardship
from resolvers.errors import BadInput
from resolvers.permissions import CanAdminister, CanRead, CanSteward
from resolvers.types.base import Info
from resolvers.types.change import WebhookSecret
from resolvers.types.consent import ConsentStatus
from resolvers.types.privacy import ErasureReport
from resolvers.types.profile import Profile
from resolvers.types.segment import Segment

__all__ = ["Mutation"]


# Derived from the engine's own list: a value the engine refuses can never be offered.
if TYPE_CHECKING:
    GoldenField: TypeAlias = Enum
else:
    GoldenField = strawberry.enum(
        Enum("GoldenField", {name.upper(): name for name in steward.GOLDEN_FIELDS}),
        description="Golden attributes a steward may override.",
    )


@strawberry.type(description="The profiles a steward operation changed (merged, split, created).")
class StewardResult:
    profile_ids: list[strawberry.ID]

    @strawberry.field
    async def profiles(self, info: Info) -> list[Profile]:
        return await Profile.load_many(info, [ids.decode(pid, "Profile")[1] for pid in self.profile_ids])

    @classmethod
    def of(cls, pids: list[str]) -> "StewardResult":
        return cls(profile_ids=[strawberry.ID(ids.encode("Profile", pid)) for pid in pids])


@strawberry.input(description="One source row, as the named built-in mapping expects it.")
class IngestEventInput:
    mapping: str = strawberry.field(description="Built-in mapping, e.g. web_events or shop_customers.")
    row: JSON


@strawberry.type
class IngestResult:
    quarantined: bool
    reasons: list[str]
    profile_ids: list[strawberry.ID]
    fields_rejected: list[str] = strawberry.field(
        default_factory=list,
        description="Invalid optional values the event landed without: `entity.field: reason`.",
    )

    @strawberry.field(permission_classes=[CanRead], description="The profiles the event reached, as they are now.")
    async def profiles(self, info: Info) -> list[Profile] | None:
        return await Profile.load_many(info, [ids.decode(pid, "Profile")[1] for pid in self.profile_ids])


def _records(record_a: strawberry.ID, record_b: strawberry.ID) -> tuple[str, str]:
    return ids.decode(record_a, "SourceRecord")[1], ids.decode(record_b, "SourceRecord")[1]


@strawberry.type
class Mutation:
    @strawberry.mutation(permission_classes=[CanSteward], description="Same person: keep these records together.")
    async def link_records(
        self,
        info: Info,
        record_a: strawberry.ID,
        record_b: strawberry.ID,
        reason: str | None = None,
    ) -> StewardResult | None:
        return StewardResult.of(await stewardship.link(info.context, *_records(record_a, record_b), reason))

    @strawberry.mutation(permission_classes=[CanSteward], description="Not the same person: keep these records apart.")
    async def unlink_records(
        self,
        info: Info,
        record_a: strawberry.ID,
        record_b: strawberry.ID,
        reason: str | None = None,
    ) -> StewardResult | None:
        return StewardResult.of(await stewardship.unlink(info.context, *_records(record_a, record_b), reason))

    @strawberry.mutation(
        permission_classes=[CanSteward], description="A review item is the same person: link the two records."
    )
    async def accept_match(
        self, info: Info, record_a: strawberry.ID, record_b: strawberry.ID, reason: str | None = None
    ) -> StewardResult | None:
        return StewardResult.of(await review.accept(info.context, *_records(record_a, record_b), reason))

    @strawberry.mutation(
        permission_classes=[CanSteward], description="A review item is not the same person: keep them apart for good."
    )
    async def reject_match(
        self, info: Info, record_a: strawberry.ID, record_b: strawberry.ID, reason: str | None = None
    ) -> StewardResult | None:
        return StewardResult.of(await review.reject(info.context, *_records(record_a, record_b), reason))

    @strawberry.mutation(permission_classes=[CanSteward], description="Each record its own profile unless linked.")
    async def split_profile(self, info: Info, id: strawberry.ID, reason: str | None = None) -> StewardResult | None:
        return StewardResult.of(await stewardship.split(info.context, ids.decode(id, "Profile")[1], reason))

    @strawberry.mutation(
        permission_classes=[CanSteward], description="Override a golden value; null withdraws the override."
    )
    async def set_golden_value(
        self,
        info: Info,
        profile_id: strawberry.ID,
        field: GoldenField,
        value: str | None = None,
        reason: str | None = None,
    ) -> Profile | None:
        pid = ids.decode(profile_id, "Profile")[1]
        await stewardship.set_golden(info.context, pid, field.value, value, reason)
        return await Profile.load(info, pid)

    @strawberry.mutation(
        permission_classes=[CanSteward],
        description="Record a consent statement; the latest per purpose and channel wins.",
    )
    async def set_consent(
        self,
        info: Info,
        profile_id: strawberry.ID,
        purpose: str,
        channel: str,
        status: ConsentStatus,
        evidence: str | None = None,
        reason: str | None = None,
    ) -> Profile | None:
        pid = ids.decode(profile_id, "Profile")[1]
        await privacy.set_consent(info.context, pid, purpose, channel, status.value, evidence, reason)
        return await Profile.load(info, pid)

    @strawberry.mutation(
        permission_classes=[CanSteward],
        description="Create or replace a segment (JSON definition); membership is materialized.",
    )
    async def save_segment(self, info: Info, name: str, definition: str) -> Segment:
        return Segment(row=await segments.save(info.context, name, definition))

    @strawberry.mutation(
        permission_classes=[CanSteward], description="Delete a segment; returns how many members exited."
    )
    async def delete_segment(self, info: Info, name: str) -> int:
        return await segments.delete(info.context, name)

    @strawberry.mutation(
        permission_classes=[CanSteward],
        description="Restrict processing (hidden from apps and contact selection) or lift it.",
    )
    async def restrict_profile(
        self,
        info: Info,
        profile_id: strawberry.ID,
        restricted: bool,
        reason: str | None = None,
    ) -> Profile | None:
        live = await privacy.restrict(info.context, ids.decode(profile_id, "Profile")[1], restricted, reason)
        return await Profile.load(info, live)

    @strawberry.mutation(
        permission_classes=[CanAdminister],
        description=(
            "Everything held about a person as one JSON document (right of access; admin). "
            "Give `identifier` as KIND:VALUE or a `profileId`."
        ),
    )
    async def export_subject(
        self,
        info: Info,
        identifier: str | None = None,
        profile_id: strawberry.ID | None = None,
        reason: str | None = None,
    ) -> JSON | None:
        pid = ids.decode(profile_id, "Profile")[1] if profile_id is not None else None
        return cast(JSON, await privacy.export(info.context, identifier, pid, reason))

    @strawberry.mutation(
        permission_classes=[CanAdminister],
        description=(
            "Erase a person for good: data removed, later loads of their rows suppressed (admin). "
            "Give `identifier` as KIND:VALUE or a `profileId`; `confirm` must be true."
        ),
    )
    async def erase_subject(
        self,
        info: Info,
        confirm: bool,
        identifier: str | None = None,
        profile_id: strawberry.ID | None = None,
        reason: str | None = None,
    ) -> ErasureReport | None:
        pid = ids.decode(profile_id, "Profile")[1] if profile_id is not None else None
        return ErasureReport.of(await privacy.erase(info.context, identifier, pid, reason, confirm))

    @strawberry.mutation(description="One record or touchpoint in real time, resolved before this returns.")
    async def ingest_event(self, info: Info, input: IngestEventInput) -> IngestResult:
        result = await stewardship.ingest(info.context, input.mapping, input.row)
        return IngestResult(
            quarantined=bool(result["quarantined"]),
            reasons=[str(r) for r in result["reasons"]],
            profile_ids=[strawberry.ID(ids.encode("Profile", pid)) for pid in result["profile_ids"]],
            fields_rejected=[f"{f['field']}: {f['reason']}" for f in result.get("fields_rejected", [])],
        )

    @strawberry.mutation(
        permission_classes=[CanAdminister],
        description=(
            "Register a webhook endpoint for event `types` (default all), from now on (admin). The signing "
            "secret is generated unless given (16+ characters) and shown only in this answer."
        ),
    )
    async def create_webhook(
        self, info: Info, url: str, types: list[str] | None = None, secret: str | None = None
    ) -> WebhookSecret | None:
        created = await changes.create_webhook(info.context, url, types, secret)
        await privacy.record(info.context, "webhook.create", created.endpoint.id, None)
        return created

    @strawberry.mutation(permission_classes=[CanAdminister], description="Remove a webhook endpoint (admin).")
    async def delete_webhook(self, info: Info, id: str) -> bool | None:
        deleted = await changes.delete(info.context, id)
        if deleted:
            await privacy.record(info.context, "webhook.delete", id, None)
        return deleted

    @strawberry.mutation(
        permission_classes=[CanAdminister],
        description="Send dead letters again: these ids, or every one of `endpointId` (admin). Returns how many.",
    )
    async def replay_webhook_dead_letters(
        self, info: Info, ids: list[str] | None = None, endpoint_id: str | None = None
    ) -> int | None:
        if not ids and not endpoint_id:
            raise BadInput("name dead-letter ids or an endpointId")
        return await changes.replay(info.context, ids or [], endpoint_id)

    @strawberry.mutation(permission_classes=[CanAdminister], description="Revoke an API key (admin).")
    async def revoke_api_key(self, info: Info, id: str, reason: str | None = None) -> bool | None:
        rows = await info.context.store.write(
            "api_key_revoke", id=id, by=info.context.principal.name, now=datetime.now(UTC)
        )
        if rows:
            await privacy.record(info.context, "apikey.revoke", id, reason)
        return bool(rows)
