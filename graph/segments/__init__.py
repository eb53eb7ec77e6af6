"""Segments: saved, validated definitions compiled to parameterized Cypher, with materialized
membership and recorded entries and exits."""

from graph.segments.definition import SegmentDefinition
from graph.segments.store import (
    Preview,
    SegmentError,
    delete,
    get,
    list_all,
    members,
    parse,
    preview,
    refresh,
    refresh_segment,
    save,
)

__all__ = [
    "Preview",
    "SegmentDefinition",
    "SegmentError",
    "delete",
    "get",
    "list_all",
    "members",
    "parse",
    "preview",
    "refresh",
    "refresh_segment",
    "save",
]
