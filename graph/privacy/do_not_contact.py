"""The suppression list: who must not be contacted, for the systems that send campaigns.

Rows, each with a reason: every suppression entry (`erased`: the person is gone, only the keyed
hash of their record ids and identifiers is left), every contact identifier of a restricted
profile (`restricted`), and, given a purpose and channel, every contact identifier of a profile
without consent in force for it (`no_consent`: no statement, denied or withdrawn). Identifiers
go out as keyed hashes by default: HMAC-SHA256 under the suppression key of `<kind>:<normalized
value>`, the same tokens as the erasure's entries, so a receiver holding the key matches both
kinds of row and nobody else can test guessed emails. Plain values are for admins only. Every
export writes one audit entry (who, which list, how many rows; never values).
"""

from collections.abc import Generator, Iterator, Sequence
from typing import Any

from graph.connection import Graph
from graph.privacy import PrivacyError, audit, consent, suppression

__all__ = ["CONTACT_KINDS", "FIELDS", "PLAIN_FIELDS", "PLAIN_ROLES", "suppression_list"]

CONTACT_KINDS = ("email", "phone")
FIELDS = ("reason", "kind", "hash")
PLAIN_FIELDS = (*FIELDS, "value")
PLAIN_ROLES = frozenset({"admin"})
PAGE = 1000


def _check(role: str, plain: bool, kinds: Sequence[str]) -> None:
    if plain and role not in PLAIN_ROLES:
        raise PrivacyError("plain identifiers in the suppression list are for admins only")
    if not kinds or any(not k or not k.replace("_", "").isalnum() for k in kinds):
        raise PrivacyError("identifier kinds are names like email, phone")


def _keys(
    graph: Graph, *, restricted: bool, kinds: Sequence[str], consent_for: tuple[str, str] | None
) -> Iterator[list[str]]:
    """The identifier keys of each restricted profile, or of the others without consent in
    force for `consent_for`, in pid order, a page at a time."""
    after: str | None = None
    while True:
        page = graph.read("privacy_contact_page", after=after, limit=PAGE, restricted=restricted, kinds=list(kinds))
        if not page:
            return
        after = page[-1]["pid"]
        allowed = (
            set()
            if restricted or consent_for is None
            else consent.allowed(graph, [r["pid"] for r in page], *consent_for)
        )
        yield from (r["keys"] for r in page if r["pid"] not in allowed)
        if len(page) < PAGE:
            return


def suppression_list(
    graph: Graph,
    *,
    secret: bytes,
    actor: str,
    role: str,
    plain: bool = False,
    consent_for: tuple[str, str] | None = None,
    kinds: Sequence[str] = CONTACT_KINDS,
    reason: str | None = None,
) -> Generator[dict[str, Any], None, None]:
    """Yield the list's rows (FIELDS, or PLAIN_FIELDS with `plain`); audited when exhausted or closed.
    `role` is the caller's (api key role; the local CLI operator is an admin)."""
    _check(role, plain, kinds)
    counts = {"erased": 0, "restricted": 0, "no_consent": 0}

    def row(why: str, kind: str | None, digest: str, value: str | None = None) -> dict[str, Any]:
        counts[why] += 1
        found = {"reason": why, "kind": kind, "hash": digest}
        return found | {"value": value} if plain else found

    complete = False
    try:
        for digest in suppression.hashes(graph):
            yield row("erased", None, digest)
        # Restricted profiles first, so an identifier they share with an unconsented one is listed
        # as restricted; each identifier once (the listed keys are held in memory to that end).
        listed: set[str] = set()
        for why in ("restricted", "no_consent") if consent_for else ("restricted",):
            for keys in _keys(graph, restricted=why == "restricted", kinds=kinds, consent_for=consent_for):
                for key in sorted(set(keys) - listed):
                    listed.add(key)
                    kind, _, value = key.partition(":")
                    yield row(why, kind, suppression.digest(secret, key), value)
        complete = True
    finally:
        # Also when the consumer stops early (a client that hangs up mid-download): what was
        # read for export is on record either way, with `complete` saying which.
        audit.record(
            graph,
            actor=actor,
            action="suppression.export",
            reason=reason,
            details={
                "rows": counts,
                "plain": plain,
                "kinds": list(kinds),
                "consent": list(consent_for) if consent_for else None,
                "complete": complete,
            },
        )
