"""The data subject: find a person by identifier, and export everything held about them.

A person is the profile(s) whose records carry the identifier, with every record of those
profiles (and records carrying it that are not resolved yet). The export is one JSON
document (right of access, portability); producing it is itself audited.
"""

from dataclasses import dataclass
from typing import Any

from graph import normalize
from graph.connection import Graph
from graph.privacy import PrivacyError, audit, consent
from graph.privacy._values import plain

__all__ = ["Subject", "export", "find", "identifier_key", "of_profile"]


@dataclass(frozen=True)
class Subject:
    pids: list[str]  # live profiles
    aliases: list[str]  # ids merged into them
    uids: list[str]  # every source record
    identifier_kind: str | None = None  # how they were found (the kind only: the value is PII)

    @property
    def ids(self) -> list[str]:
        return sorted({*self.pids, *self.aliases, *self.uids})


def identifier_key(text: str, region: str = "GB") -> tuple[str, str]:
    """`KIND:VALUE` -> (kind, identifier key) with the value normalized as loads do."""
    kind, sep, value = text.partition(":")
    kind = kind.strip().lower()
    if not sep or not kind.isidentifier() or not value.strip():
        raise PrivacyError(f"expected KIND:VALUE (for example email:ann@example.com), got {text!r}")
    try:
        return kind, f"{kind}:{normalize.identifier(kind, value, region)}"
    except ValueError as exc:
        raise PrivacyError(f"invalid {kind}: {exc}") from exc


def _profiles(graph: Graph, pids: list[str]) -> list[dict[str, Any]]:
    return graph.read("privacy_subject_profiles", pids=pids)


def _subject(graph: Graph, pids: list[str], loose: list[str], kind: str | None) -> Subject:
    rows = _profiles(graph, pids)
    uids = {uid for row in rows for uid in row["records"]} | set(loose)
    if not uids:
        raise PrivacyError("no data held for that person")
    return Subject(
        pids=sorted(row["pid"] for row in rows),
        aliases=sorted({alias for row in rows for alias in row["aliases"]}),
        uids=sorted(uids),
        identifier_kind=kind,
    )


def find(graph: Graph, identifier: str, *, region: str = "GB") -> Subject:
    """The person that carries `KIND:VALUE`; PrivacyError when nothing does."""
    kind, key = identifier_key(identifier, region)
    found = graph.read("privacy_subject_find", key=key)[0]
    if found["held_out"]:
        # A call-centre phone or test@ address names many people: erasing "its" person would
        # erase them all.
        raise PrivacyError(
            f"{kind} is shared by {len(found['uids'])} records (held out); use an identifier of one person"
        )
    return _subject(graph, found["pids"], found["uids"], kind)


def of_profile(graph: Graph, pid: str) -> Subject:
    """The person of a profile id (or alias)."""
    return _subject(graph, [pid], [], None)


def export(graph: Graph, subject: Subject, *, actor: str, reason: str | None = None) -> dict[str, Any]:
    """Everything held about the person as one JSON-ready document; the export is audited."""
    profiles = _profiles(graph, subject.pids)
    records = graph.read("privacy_subject_records", uids=subject.uids)
    statements = consent.statements(graph, subject.pids)
    effective = consent.for_profiles(graph, subject.pids)
    trail = audit.query(graph, subjects=subject.ids)
    document = {
        "profiles": [
            {
                "profile_id": row["pid"],
                "profile": row["profile"],
                "records": row["records"],
                "aliases": row["aliases"],
                "households": row["households"],
                "merge_history": sorted(row["events"], key=lambda e: (str(e.get("at")), e.get("eid"))),
                "golden_overrides": row["overrides"],
                "consents": [s.as_dict() for s in effective.get(row["pid"], [])],
                "consent_history": [s.as_dict() for s in statements.get(row["pid"], [])],
            }
            for row in profiles
        ],
        "records": [
            {
                key: row[key]
                for key in (
                    "uid",
                    "record",
                    "identifiers",
                    "touchpoints",
                    "devices",
                    "accounts",
                    "organizations",
                    "consents",
                    "steward_decisions",
                )
            }
            for row in records
        ],
        "audit_trail": trail,
    }
    entry = audit.record(
        graph,
        actor=actor,
        action="subject.export",
        target=subject.pids or subject.uids,
        reason=reason,
        details={"found_by": subject.identifier_kind, "profiles": len(profiles), "records": len(records)},
    )
    exported: dict[str, Any] = plain(document) | {"export_id": entry}
    return exported
