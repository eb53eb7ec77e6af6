"""The event catalogue and the event rows the writers stage.

Events name what changed, never the values: profile ids, field names, consent purpose and
channel. Consumers fetch what they need. No record ids either (they carry source ids).
"""

import json
import uuid
from typing import Any

__all__ = [
    "CATALOGUE",
    "CONSENT_CHANGED",
    "ERASED",
    "GOLDEN_CHANGED",
    "HOUSEHOLD_CHANGED",
    "LIFECYCLE_CHANGED",
    "MEMBERSHIP_CHANGED",
    "PROFILE_CREATED",
    "PROFILE_MERGED",
    "PROFILE_SPLIT",
    "RESTRICTION_LIFTED",
    "RESTRICTION_SET",
    "SEGMENT_ENTERED",
    "SEGMENT_EXITED",
    "TOUCHPOINT_ADDED",
    "event",
]

PROFILE_CREATED = "profile.created"
PROFILE_MERGED = "profile.merged"
PROFILE_SPLIT = "profile.split"
GOLDEN_CHANGED = "profile.golden_changed"
HOUSEHOLD_CHANGED = "household.changed"
CONSENT_CHANGED = "consent.changed"
# Written by loads (a file or POST /events) in their batch's transaction (graph/changes/loads.py).
MEMBERSHIP_CHANGED = "organization.membership_changed"
TOUCHPOINT_ADDED = "touchpoint.added"
RESTRICTION_SET = "restriction.set"
RESTRICTION_LIFTED = "restriction.lifted"
ERASED = "profile.erased"
# Written by segment membership and computed traits (graph/changes/segments.py is their hook).
SEGMENT_ENTERED = "segment.entered"
SEGMENT_EXITED = "segment.exited"
LIFECYCLE_CHANGED = "profile.lifecycle_changed"

CATALOGUE: dict[str, str] = {
    PROFILE_CREATED: "a new profile; data: {}",
    PROFILE_MERGED: "profiles merged; profile_id survives, data: {surviving, retired: [ids]}",
    PROFILE_SPLIT: "records left a profile for a new one; data: {origin, new}",
    GOLDEN_CHANGED: "golden values changed; fields: the names of the changed fields",
    HOUSEHOLD_CHANGED: (
        "the profile's household changed; data: {household_id, previous} (either may be null; equal when the "
        "household stayed and lost a member)"
    ),
    CONSENT_CHANGED: "a consent statement set through c360 or loaded; data: {purpose, channel, status}",
    MEMBERSHIP_CHANGED: (
        "a record of the profile joined an organization or its link changed (title, role, since, until); "
        "data: {organization, relationship: works_at | member_of}"
    ),
    TOUCHPOINT_ADDED: (
        "a touchpoint of a configured type (C360_CHANGES_TOUCHPOINT_TYPES) was linked to the profile; "
        "data: {touchpoint, type, channel}"
    ),
    RESTRICTION_SET: "processing restricted; data: {}",
    RESTRICTION_LIFTED: "restriction lifted; data: {}",
    ERASED: "the person was erased; profile_ids: the erased profile ids and aliases, nothing else",
    SEGMENT_ENTERED: "the profile entered a segment; data: {segment}",
    SEGMENT_EXITED: "the profile left a segment; data: {segment}",
    LIFECYCLE_CHANGED: "the profile's lifecycle stage changed; data: {stage, previous} (stage names, no values)",
}


def event(
    kind: str, profile_id: str, *, others: list[str] | None = None, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One event row for `changes_stage`; `others` are further profile ids it concerns (a merge's
    retired ids), so a consumer filtering by any of them sees it. `seq` is set when staged."""
    assert kind in CATALOGUE, kind
    return {
        "id": str(uuid.uuid4()),
        "type": kind,
        "profile_id": profile_id,
        "profile_ids": [profile_id, *(others or [])],
        "fields": None,
        "data": json.dumps(data or {}, sort_keys=True),
    }
