from graph.identity.stable_ids import assign

AGE = {"P-old": (1,), "P-new": (2,)}


def age(pid: str) -> tuple[int, ...]:
    return AGE.get(pid, (9,))


def test_merge_keeps_the_oldest_id_and_aliases_the_rest() -> None:
    old = {"a": "P-new", "b": "P-new", "c": "P-old"}
    result = assign([["a", "b", "c"]], old, age, "P-", lambda _: False)
    assert result.ids == ["P-old"]
    assert result.aliases == {"P-new": "P-old"}
    assert result.merged == {"P-old": ["P-new"]}


def test_split_largest_part_keeps_the_id_others_get_new_ones() -> None:
    old = {"a": "P-old", "b": "P-old", "c": "P-old"}
    result = assign([["a", "b"], ["c"]], old, age, "P-", lambda _: False)
    assert result.ids[0] == "P-old"
    assert result.ids[1] not in ("P-old",) and result.ids[1].startswith("P-")
    assert result.split_from == {result.ids[1]: "P-old"}


def test_new_ids_are_deterministic_and_avoid_taken_ones() -> None:
    first = assign([["x", "y"]], {}, age, "P-", lambda _: False).ids[0]
    assert assign([["y", "x"]], {}, age, "P-", lambda _: False).ids[0] == first
    other = assign([["x", "y"]], {}, age, "P-", lambda pid: pid == first).ids[0]
    assert other != first
