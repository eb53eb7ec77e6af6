"""Records as the model sees them: one row of prepared values per record, and blocking keys.

The same functions prepare the rows for training, for a full score and for an incremental
one, and compute the blocking keys stored in the graph, so a candidate found through the graph
is exactly a pair Splink's blocking would form.
"""

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from graph.identity.scoring.definition import ATTRIBUTE_COLUMNS, ScoringRules
from graph.normalize import text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["UID", "block_keys", "frame", "prepare"]

UID = "unique_id"


def _value(column: str, raw: Any) -> str | None:
    if raw is None:
        return None
    value = text(str(raw))
    if not value:
        return None
    if column == "birth_date":
        return value[:10]
    if column == "postcode":
        return value.replace(" ", "").upper()
    if column == "country":
        return value.upper()
    return value.casefold()


def prepare(rules: ScoringRules, attrs: Mapping[str, Any], identifiers: Mapping[str, Any]) -> dict[str, str | None]:
    """Prepared column values of one record (identifiers: kind -> value)."""
    return {
        column: _value(column, attrs.get(column) if column in ATTRIBUTE_COLUMNS else identifiers.get(column))
        for column in rules.columns
    }


def block_keys(rules: ScoringRules, attrs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(kind, value) of each blocking key the record has (rules whose columns are all present)."""
    values = prepare(rules, attrs, {})
    keys = []
    for kind, columns in rules.block_kinds.items():
        parts = [values[c] for c in columns]
        if all(parts):
            keys.append((kind, "|".join(p for p in parts if p)))
    return keys


def frame(
    rules: ScoringRules, rows: Iterable[Mapping[str, Any]], degrees: Mapping[str, int] | None = None
) -> "pd.DataFrame":
    """The model's input table from rows of {uid, attrs, identifiers}.

    Each blocking rule becomes a column holding the record's key, or null when the key is
    shared by more than `max_block` records (counted over the whole graph: `degrees` by key
    from the graph, or the rows themselves when they are every record).
    """
    import pandas as pd  # only scoring needs it; resolution without a model never pays the import

    records = []
    for row in rows:
        values: dict[str, Any] = {UID: row["uid"]} | prepare(rules, row["attrs"], row["identifiers"])
        for kind, key in block_keys(rules, row["attrs"]):
            values[kind] = key
        records.append(values)
    columns = [UID, *rules.columns, *rules.block_kinds]
    table = pd.DataFrame.from_records(records, columns=columns).astype("object")
    for kind in rules.block_kinds:
        keys = table[kind]
        if degrees is not None:
            counts = keys.map({k: degrees.get(f"{kind}:{k}", 0) for k in keys.dropna().unique()})
        else:
            counts = keys.map(keys.value_counts())
        table[kind] = keys.where(keys.notna() & (counts <= rules.max_block), None)
    return table.where(table.notna(), None)
