"""The suppression list: erased, restricted and unconsented people as keyed hashes; plain values
for admins only; audited without values."""

import json

import pytest

from graph.connection import Graph
from graph.identity import load_rules
from graph.privacy import PrivacyError, audit, consent, do_not_contact, erasure, restriction, subject, suppression
from tests.graph.privacy.conftest import ANN_EMAIL, SECRET, SHARED_PHONE, World

BOB_EMAIL = "bob.z@example.com"
CARL_EMAIL = "carl@example.com"


def _list(graph: Graph, **options: object) -> list[dict[str, object]]:
    return list(do_not_contact.suppression_list(graph, secret=SECRET, actor="test", **options))  # type: ignore[arg-type]


def _prepare(graph: Graph, world: World) -> None:
    person = subject.find(graph, f"email:{ANN_EMAIL}")
    erasure.erase(graph, person, secret=SECRET, rules=load_rules(), actor="admin:erin")
    restriction.restrict(graph, world.bob, by="test", reason="objection")
    consent.set(graph, world.carl, "marketing", "email", "granted", by="test")


def test_erased_restricted_and_unconsented_people_are_listed_as_keyed_hashes(graph: Graph, world: World) -> None:
    _prepare(graph, world)
    rows = _list(graph, role="steward")
    erased = [r for r in rows if r["reason"] == "erased"]
    assert {r["hash"] for r in erased} == set(suppression.hashes(graph)) and len(erased) == 7
    assert suppression.digest(SECRET, f"email:{ANN_EMAIL}") in {r["hash"] for r in erased}
    restricted = {(r["kind"], r["hash"]) for r in rows if r["reason"] == "restricted"}
    assert ("email", suppression.digest(SECRET, f"email:{BOB_EMAIL}")) in restricted
    assert not [r for r in rows if r["reason"] == "no_consent"]  # no purpose given: no consent check
    assert all(set(r) == set(do_not_contact.FIELDS) for r in rows)
    text = json.dumps(rows)
    assert BOB_EMAIL not in text and ANN_EMAIL not in text

    mailable = _list(graph, role="app", consent_for=("marketing", "email"))
    unconsented = {r["hash"] for r in mailable if r["reason"] == "no_consent"}
    carl = suppression.digest(SECRET, f"email:{CARL_EMAIL}")
    assert carl not in {r["hash"] for r in mailable}  # Carl consented: he may be contacted
    assert suppression.digest(SECRET, f"email:{BOB_EMAIL}") not in unconsented  # Bob: listed as restricted
    consent.set(graph, world.carl, "marketing", "email", "withdrawn", by="test")
    again = _list(graph, role="app", consent_for=("marketing", "email"))
    assert ("no_consent", "email", carl) in {(r["reason"], r["kind"], r["hash"]) for r in again}


def test_an_identifier_two_listed_profiles_share_is_listed_once(graph: Graph, world: World) -> None:
    # Ann's shop record and Carl's CRM record share a phone; a steward keeps their profiles apart.
    shared = suppression.digest(SECRET, f"phone:{SHARED_PHONE}")
    restriction.restrict(graph, world.carl, by="test", reason="objection")
    # Carl restricted, Ann without consent for phone marketing: the stronger reason, whatever the pid order.
    rows = _list(graph, role="steward", kinds=["phone"], consent_for=("marketing", "phone"))
    assert [(r["reason"], r["kind"]) for r in rows if r["hash"] == shared] == [("restricted", "phone")]
    restriction.restrict(graph, world.ann, by="test", reason="objection")
    for _ in range(2):  # and again: the same list
        rows = _list(graph, role="steward", kinds=["phone"])
        assert [r["reason"] for r in rows if r["hash"] == shared] == ["restricted"]
        assert len({r["hash"] for r in rows}) == len(rows)
    last = audit.query(graph, action="suppression.export")[-1]  # oldest first
    assert last["details"]["rows"]["restricted"] == len(rows) == 2  # the audit counts rows as listed


@pytest.mark.parametrize("role", ["app", "steward"])
def test_plain_identifiers_are_for_admins_only(graph: Graph, world: World, role: str) -> None:
    _prepare(graph, world)
    with pytest.raises(PrivacyError, match="admins only"):
        _list(graph, role=role, plain=True)
    assert audit.query(graph, action="suppression.export") == []  # refused before anything is read
    rows = _list(graph, role="admin", plain=True, reason="hand-over to the mailer")
    assert {"restricted"} == {r["reason"] for r in rows if r["value"] == BOB_EMAIL}
    assert all(r["value"] is None for r in rows if r["reason"] == "erased")  # gone: nothing plain is left
    [entry] = audit.query(graph, action="suppression.export")
    assert entry["actor"] == "test" and entry["details"]["plain"] is True
    assert entry["details"]["rows"]["erased"] == 7 and entry["reason"] == "hand-over to the mailer"
    assert BOB_EMAIL not in json.dumps(entry)


def test_hostile_kinds_are_refused(graph: Graph) -> None:
    with pytest.raises(PrivacyError, match="kinds"):
        _list(graph, role="admin", kinds=["email' OR 1=1"])


def test_a_download_stopped_early_is_audited_as_incomplete(graph: Graph, world: World) -> None:
    _prepare(graph, world)
    rows = do_not_contact.suppression_list(graph, secret=SECRET, actor="test:early", role="admin")
    assert next(rows)["reason"] == "erased"
    rows.close()  # the client hung up
    [entry] = audit.query(graph, action="suppression.export")
    assert entry["actor"] == "test:early"
    assert entry["details"]["complete"] is False and entry["details"]["rows"]["erased"] == 1
