"""The Query root: thin resolvers over finders, loaders, views and the identity engine."""

import asyncio
from datetime import datetime
from typing import Annotated

import strawberry

from resolvers import changes, cursors, finders, ids, privacy, quality, review, segments, stewardship, views
from resolvers.errors import BadInput, ClientError
from resolvers.nodes import resolve_node
from resolvers.permissions import IsAdmin, IsSteward
from resolvers.types.admin import ApiKeyInfo, Viewer
from resolvers.types.base import Connection, First, Info, Node, connection, first_of
from resolvers.types.change import ChangePage, WebhookDeadLetter, WebhookEndpoint
from resolvers.types.consent import ConsentFilter
from resolvers.types.graphview import GraphView
from resolvers.types.history import LinkExplanation, LinkStep
from resolvers.types.household import Household
from resolvers.types.matching import MatchScore, ReviewItem
from resolvers.types.organization import Organization
from resolvers.types.privacy import AuditEntry
from resolvers.types.profile import Profile
from resolvers.types.quality import ConflictEntry, DataQuality, HeldOutIdentifier
from resolvers.types.record import SourceRecord
from resolvers.types.segment import Segment, SegmentPreview

__all__ = ["Query"]

MAX_NODES = 100


class Ambiguous(ClientError):
    code = "AMBIGUOUS"


@strawberry.type
class Query:
    @strawberry.field(description="Any object by its global id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)

    @strawberry.field(description=f"Objects by global id, in order (at most {MAX_NODES}).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
        if len(ids) > MAX_NODES:
            raise BadInput(f"at most {MAX_NODES} ids at once")
        # Gathered, so that ids of one type share a dataloader batch.
        return list(await asyncio.gather(*(resolve_node(info, global_id) for global_id in ids)))

    @strawberry.field(description="Saved segments, by name.")
    async def segments(self, info: Info) -> list[Segment]:
        return [Segment(row=row) for row in await segments.list_all(info.context)]

    @strawberry.field(description="A saved segment by name.")
    async def segment(self, info: Info, name: str) -> Segment | None:
        row = await segments.get(info.context, name)
        return Segment(row=row) if row else None

    @strawberry.field(description="Size and first members of a definition (JSON), without saving it.")
    async def preview_segment(self, info: Info, definition: str, sample: int = 10) -> SegmentPreview:
        if not 0 <= sample <= 100:
            raise BadInput("sample must be between 0 and 100")
        found = await segments.preview(info.context, definition, sample)
        return SegmentPreview(size=found.size, sample=await Profile.load_many(info, found.sample))

    @strawberry.field(description="A profile by id; the id of a profile merged into another finds the survivor.")
    async def profile(self, info: Info, id: strawberry.ID) -> Profile | None:
        return await Profile.load(info, ids.decode(id, "Profile")[1])

    @strawberry.field(description='The profile holding an identifier, normalized as at load (`" Ann@X.org "`).')
    async def profile_by_identifier(self, info: Info, kind: str, value: str) -> Profile | None:
        found = await finders.by_identifier(info, kind, value)
        if len(found) > 1:
            raise Ambiguous(f"{len(found)} profiles share this identifier; use profilesByIdentifier")
        return found[0] if found else None

    @strawberry.field(description="Every profile holding an identifier (shared ones reach several).")
    async def profiles_by_identifier(self, info: Info, kind: str, value: str, first: First = None) -> list[Profile]:
        return first_of(info, await finders.by_identifier(info, kind, value), first)

    @strawberry.field(description="All profiles in id order; `consentedTo` keeps only those who may be contacted.")
    async def profiles(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        consented_to: ConsentFilter | None = None,
    ) -> Connection[Profile]:
        return await finders.page(info, first, after, consented_to)

    @strawberry.field(
        description="Full-text search over names, emails, phones and organization names, best first; "
        "`consentedTo` keeps only those who may be contacted."
    )
    async def search_profiles(
        self,
        info: Info,
        query: str,
        first: int | None = None,
        after: str | None = None,
        consented_to: ConsentFilter | None = None,
    ) -> Connection[Profile]:
        return await finders.search_profiles(info, query, first, after, consented_to)

    @strawberry.field(permission_classes=[IsSteward], description="A source record by its source and id there.")
    async def record_by_source(
        self,
        info: Info,
        source_system: Annotated[str, strawberry.argument(name="source")],
        source_id: str,
    ) -> SourceRecord | None:
        # Named source_system in Python: strawberry's permission extension takes `source` itself.
        row = await info.context.loaders.record.load(f"{source_system}:{source_id}")
        return SourceRecord.from_row(row) if row else None

    @strawberry.field
    async def household(self, info: Info, id: strawberry.ID) -> Household | None:
        return await Household.load(info, ids.decode(id, "Household")[1])

    @strawberry.field
    async def organization(self, info: Info, id: strawberry.ID) -> Organization | None:
        return await Organization.load(info, ids.decode(id, "Organization")[1])

    @strawberry.field(
        description=f"Shortest relationship path between two entities (maxDepth <= {views.MAX_PATH_DEPTH})."
    )
    async def path(
        self,
        info: Info,
        from_id: strawberry.ID,
        to_id: strawberry.ID,
        max_depth: int = 4,
    ) -> GraphView | None:
        if not 1 <= max_depth <= views.MAX_PATH_DEPTH:
            raise BadInput(f"maxDepth must be between 1 and {views.MAX_PATH_DEPTH}")
        return await views.path(info.context, ids.decode(from_id), ids.decode(to_id), max_depth)

    @strawberry.field(description="Nodes and edges around an entity, for a graph view.")
    async def neighborhood(self, info: Info, id: strawberry.ID, depth: int = 1, limit: int = 50) -> GraphView | None:
        if not 1 <= depth <= views.MAX_NEIGHBORHOOD_DEPTH:
            raise BadInput(f"depth must be between 1 and {views.MAX_NEIGHBORHOOD_DEPTH}")
        if not 1 <= limit <= views.MAX_NEIGHBORHOOD:
            raise BadInput(f"limit must be between 1 and {views.MAX_NEIGHBORHOOD}")
        return await views.neighborhood(info.context, ids.decode(id), depth, limit)

    @strawberry.field(permission_classes=[IsSteward], description="The identifier chain linking two records.")
    async def explain_link(
        self,
        info: Info,
        record_a: strawberry.ID,
        record_b: strawberry.ID,
    ) -> LinkExplanation | None:
        uid_a = ids.decode(record_a, "SourceRecord")[1]
        uid_b = ids.decode(record_b, "SourceRecord")[1]
        steps = [LinkStep.from_item(item) for item in await stewardship.explain_link(info.context, uid_a, uid_b)]
        return LinkExplanation(linked=bool(steps), steps=steps)

    @strawberry.field(
        permission_classes=[IsSteward],
        description="Possible matches waiting for a steward, most likely first (acceptMatch / rejectMatch).",
    )
    async def review_queue(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[ReviewItem] | None:
        page, total, more = await review.queue(info.context, first, after)
        items = [
            (
                cursors.encode("review", *item["position"]),
                ReviewItem(
                    record_a_id=strawberry.ID(ids.encode("SourceRecord", item["a"])),
                    record_b_id=strawberry.ID(ids.encode("SourceRecord", item["b"])),
                    score=MatchScore.of(item["score"]),
                ),
            )
            for item in page
        ]
        return connection(items, total=total, has_next=more, has_previous=after is not None)

    @strawberry.field(description="The caller.")
    def viewer(self, info: Info) -> Viewer:
        principal = info.context.principal
        return Viewer(name=principal.name, role=principal.role.name.lower())

    @strawberry.field(
        permission_classes=[IsAdmin],
        description=(
            "Who accessed or changed whose data, oldest first from `since` (admin). `action` also matches "
            f'sub-actions ("steward" finds "steward.link"); at most `first` entries ({privacy.MAX_AUDIT} by default).'
        ),
    )
    async def audit_log(
        self,
        info: Info,
        since: datetime | None = None,
        actor: str | None = None,
        action: str | None = None,
        first: int | None = None,
    ) -> list[AuditEntry] | None:
        return [AuditEntry.from_row(row) for row in await privacy.audit_log(info.context, since, actor, action, first)]

    @strawberry.field(
        permission_classes=[IsSteward], description="Counts for the data-quality dashboard (steward, admin)."
    )
    async def data_quality(self, info: Info) -> DataQuality | None:
        return await quality.data_quality(info.context)

    @strawberry.field(
        permission_classes=[IsSteward],
        description=f"Profiles whose records disagree (review queue; at most {quality.MAX_LIST}).",
    )
    async def conflicts(self, info: Info, first: int | None = None) -> list[ConflictEntry] | None:
        return await quality.conflicts(info.context, first)

    @strawberry.field(
        permission_classes=[IsSteward],
        description=f"Identifiers held out of merging, most shared first (review queue; at most {quality.MAX_LIST}).",
    )
    async def held_out_identifiers(self, info: Info, first: int | None = None) -> list[HeldOutIdentifier] | None:
        return await quality.held_out(info.context, first)

    @strawberry.field(
        description=(
            "The change feed after a cursor, oldest first (see the README's event catalogue). The app role gets "
            "ids and types only, and no events about restricted profiles."
        )
    )
    async def changes(
        self,
        info: Info,
        after: str | None = None,
        first: int = 100,
        types: list[str] | None = None,
        profile_id: strawberry.ID | None = None,
    ) -> ChangePage:
        return await changes.page(info.context, after, first, types, profile_id)

    @strawberry.field(permission_classes=[IsAdmin], description="Webhook endpoints, without secrets (admin).")
    async def webhooks(self, info: Info) -> list[WebhookEndpoint] | None:
        return await changes.endpoints(info.context)

    @strawberry.field(permission_classes=[IsAdmin], description="Events endpoints never acknowledged (admin).")
    async def webhook_dead_letters(self, info: Info, endpoint_id: str | None = None) -> list[WebhookDeadLetter] | None:
        return await changes.dead_letters(info.context, endpoint_id)

    @strawberry.field(permission_classes=[IsAdmin], description="API keys, newest first (admin).")
    async def api_keys(self, info: Info) -> list[ApiKeyInfo] | None:
        return [ApiKeyInfo.from_row(row) for row in await info.context.store.read("api_keys_list")]
