import pytest

from graph.model import ENTITY_LABELS, RELATIONSHIPS, label_for, relationship


def test_allow_lists_map_to_catalog_statements() -> None:
    import queries

    assert {rel.query for rel in RELATIONSHIPS.values()} <= set(queries.names())
    assert label_for("person") == "Customer"
    assert relationship("HOLDS").properties == ("role",)


@pytest.mark.parametrize("hostile", ["Customer) DETACH DELETE (n", "person`", "PERSON", "", "Profile"])
def test_labels_off_the_allow_list_are_refused(hostile: str) -> None:
    with pytest.raises(ValueError, match="unknown entity kind"):
        label_for(hostile)
    assert hostile not in ENTITY_LABELS


@pytest.mark.parametrize("hostile", ["KNOWS", "HOLDS]->() DETACH DELETE n //", "holds"])
def test_relationship_types_off_the_allow_list_are_refused(hostile: str) -> None:
    with pytest.raises(ValueError, match="unknown relationship type"):
        relationship(hostile)
