"""The graph model's allow-lists: every label and relationship type that code may choose at run time."""

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["ENTITY_LABELS", "RELATIONSHIPS", "RelationshipType", "label_for", "relationship"]

# Entity kind (as written in mappings) -> node label.
ENTITY_LABELS = MappingProxyType(
    {
        "person": "Customer",
        "organization": "Organization",
        "device": "Device",
        "account": "Account",
        "touchpoint": "Touchpoint",
        "consent": "Consent",  # privacy: a consent statement about a person record
    }
)


@dataclass(frozen=True)
class RelationshipType:
    name: str
    start: str  # entity kind
    end: str
    properties: tuple[str, ...]
    query: str  # catalog statement that merges a batch of these


RELATIONSHIPS = MappingProxyType(
    {
        rel.name: rel
        for rel in (
            RelationshipType("USES_DEVICE", "person", "device", (), "merge_uses_device"),
            RelationshipType("HOLDS", "person", "account", ("role",), "merge_holds"),
            RelationshipType("WORKS_AT", "person", "organization", ("title", "since", "until"), "merge_works_at"),
            RelationshipType("MEMBER_OF", "person", "organization", ("role", "since"), "merge_member_of"),
            RelationshipType("SUBSIDIARY_OF", "organization", "organization", (), "merge_subsidiary_of"),
            RelationshipType("HAD_TOUCHPOINT", "person", "touchpoint", (), "merge_had_touchpoint"),
            RelationshipType("HAS_CONSENT", "person", "consent", (), "privacy_merge_has_consent"),
        )
    }
)


def label_for(kind: str) -> str:
    """The label of an entity kind; anything off the allow-list is refused."""
    try:
        return ENTITY_LABELS[kind]
    except KeyError:
        raise ValueError(f"unknown entity kind {kind!r}; expected one of {sorted(ENTITY_LABELS)}") from None


def relationship(name: str) -> RelationshipType:
    try:
        return RELATIONSHIPS[name]
    except KeyError:
        raise ValueError(f"unknown relationship type {name!r}; expected one of {sorted(RELATIONSHIPS)}") from None
