"""Apply a mapping to one source row: validated, normalized entities and relationships, or reasons.

The row types live in loaders/mapped.py and are re-exported here, where callers met them first."""

import hashlib
import json
from typing import Any

from pydantic import ValidationError

from graph import attributes, normalize
from loaders.mapped import EntityRow, FieldIssue, MappedRow, RelationshipRow, RowError
from loaders.mapping import EntitySpec, Mapping
from loaders.records import RECORD_MODELS, RelationshipProps, Validated

__all__ = ["EntityRow", "FieldIssue", "MappedRow", "RelationshipRow", "RowError", "RowMapper"]


def _lookup(row: dict[str, Any], path: str) -> Any:
    if "." not in path:  # nearly every field: spares the split and the loop
        value = row.get(path)
    else:
        value = row
        for part in path.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _digest(*parts: Any) -> str:
    # repr is deterministic here (field-ordered dicts, sorted identifiers, str/date values)
    # and several times cheaper than json.dumps on the hot path.
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _message(err: Any) -> str:
    return str(err["msg"]).removeprefix("Value error, ")


def _pydantic_reasons(prefix: str, exc: ValidationError) -> list[str]:
    reasons = []
    for err in exc.errors(include_url=False):
        where = ".".join(str(p) for p in err["loc"])
        message = _message(err)
        reasons.append(f"{prefix}.{where}: {message} (got {err.get('input')!r})")
    return reasons


class RowMapper:
    """Turns raw rows into graph-ready rows for one mapping; thread-free and reusable."""

    def __init__(self, mapping: Mapping, *, region: str, max_field_length: int, source_file: str) -> None:
        self._mapping = mapping
        self._region = region
        self._max = max_field_length
        self._source_file = source_file
        self._context = {"region": region}
        self._primary = mapping.primary if mapping.keep_raw else None  # the entity that keeps the raw row
        # Per-entity work that does not depend on the row, done once rather than per row.
        self._attributes_of = {
            spec.name: [(attributes.property_name(name), attr) for name, attr in spec.attribute_specs().items()]
            for spec in mapping.entities
        }

    def map(self, row: dict[str, Any]) -> MappedRow:
        mapping = self._mapping
        if mapping.keep is not None:
            row = {key: value for key, value in row.items() if key in mapping.keep}
        reasons = self._oversize(row)
        issues: list[FieldIssue] = []
        entities: dict[str, EntityRow] = {}
        for spec in mapping.entities:
            try:
                entity = self._entity(spec, row, issues)
            except RowError as exc:
                reasons.extend(exc.reasons)
                continue
            if entity is not None:
                entities[spec.name] = entity
        relationships: list[RelationshipRow] = []
        for rel in mapping.relationships:
            start, end = entities.get(rel.start), entities.get(rel.end)
            if start is None or end is None:
                continue
            values = {k: _lookup(row, f) for k, f in rel.fields.items()}
            values = {k: v for k, v in values.items() if v is not None} | dict(rel.constants)
            try:
                props = self._validate(RelationshipProps, values, rel.type, rel.fields, frozenset(), issues)
            except RowError as exc:
                reasons.extend(exc.reasons)
                continue
            stamps = [e.updated_at for e in (start, end) if e.updated_at is not None]
            relationships.append(
                RelationshipRow(rel.type, start, end, mapping.source, props, max(stamps, default=None))
            )
        if reasons:
            raise RowError(reasons)
        return MappedRow(list(entities.values()), relationships, issues)

    def _oversize(self, row: dict[str, Any], prefix: str = "") -> list[str]:
        reasons = []
        for key, value in row.items():
            if isinstance(value, str) and len(value) > self._max:
                reasons.append(f"{prefix}{key}: longer than {self._max} characters ({len(value)})")
            elif isinstance(value, dict):
                reasons.extend(self._oversize(value, f"{prefix}{key}."))
        return reasons

    def _validate(
        self,
        model: type[Validated],
        values: dict[str, Any],
        prefix: str,
        sources: dict[str, str],
        strict: frozenset[str],
        issues: list[FieldIssue],
    ) -> dict[str, Any]:
        """Validated props. An optional attribute that fails is left out and reported as an issue
        (the record still lands); a required or `strict` one, or a constant, fails the row."""
        values = dict(values)
        for _ in range(2):
            try:
                # The core validator directly: model_validate is a Python wrapper around it.
                record: Validated = model.__pydantic_validator__.validate_python(values, context=self._context)
                return record.props()
            except ValidationError as exc:
                errors = exc.errors(include_url=False)
                fields = model.model_fields
                dropped: dict[str, str] = {}
                for err in errors:
                    name = str(err["loc"][0]) if err["loc"] else ""
                    lenient = name in sources and name in fields and not fields[name].is_required()
                    if not lenient or name in strict:
                        raise RowError(_pydantic_reasons(prefix, exc)) from None
                    dropped.setdefault(name, _message(err))
                for name, message in dropped.items():
                    issues.append(FieldIssue(prefix, sources[name], values.pop(name), message))
        raise RowError([f"{prefix}: does not validate"])  # unreachable: the second pass has no bad field

    def _entity(self, spec: EntitySpec, row: dict[str, Any], issues: list[FieldIssue]) -> EntityRow | None:
        raw_id = _lookup(row, spec.id)
        if raw_id is None:
            if spec.optional:
                return None
            raise RowError([f"{spec.name}: missing id field {spec.id!r}"])
        if isinstance(raw_id, dict | list | bool):
            raise RowError([f"{spec.name}: id field {spec.id!r} must be a string or number"])
        source_id = normalize.text(str(raw_id))
        source = spec.source or self._mapping.source
        uid = f"{source}:{source_id}"
        reasons: list[str] = []
        updated_at = None
        if spec.updated_at is not None and (stamp := _lookup(row, spec.updated_at)) is not None:
            try:
                updated_at = normalize.timestamp(stamp)
            except ValueError as exc:
                reasons.append(f"{spec.name}.{spec.updated_at}: {exc}")
        props: dict[str, Any] = {}
        if not spec.reference:
            values = {k: _lookup(row, f) for k, f in spec.fields.items()}
            values = {k: v for k, v in values.items() if v is not None} | dict(spec.constants)
            model = RECORD_MODELS[spec.kind]
            try:
                props = self._validate(model, values, spec.name, spec.fields, frozenset(spec.strict), issues)
            except RowError as exc:
                reasons.extend(exc.reasons)
            props |= self._attributes(spec, row, reasons, issues)
        identifiers = self._identifiers(spec, row, props, reasons, issues)
        if reasons:
            raise RowError(reasons)
        primary = spec is self._primary
        if primary:
            props["raw"] = json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)
        row_hash = _digest(props, identifiers, updated_at)
        if primary:
            # Outside the hash: the same record arriving in a differently named file is no change.
            props["source_file"] = self._source_file
        return EntityRow(
            spec.kind,
            uid,
            source,
            source_id,
            spec.reference,
            spec.accumulate,
            props,
            identifiers,
            updated_at,
            row_hash,
        )

    def _attributes(
        self, spec: EntitySpec, row: dict[str, Any], reasons: list[str], issues: list[FieldIssue]
    ) -> dict[str, Any]:
        """Custom attributes, typed: a bad value is left out and reported (the record lands),
        unless the attribute is `strict`."""
        specs = self._attributes_of[spec.name]
        if not specs:
            return {}
        props: dict[str, Any] = {}
        for key, attr in specs:
            value = _lookup(row, attr.field)
            if value is None:
                continue
            try:
                props[key] = attributes.convert(attr.type, value)
            except ValueError as exc:
                name = key.removeprefix(attributes.PREFIX)
                reason = f"{attr.type} attribute {name}: {exc}"
                if name in spec.strict:
                    reasons.append(f"{spec.name}.{attr.field}: {reason} (got {value!r})")
                else:
                    issues.append(FieldIssue(spec.name, attr.field, value, reason))
        text = attributes.search_text(props)
        if text is not None:
            props["attributes_text"] = text
        return props

    def _identifiers(
        self,
        spec: EntitySpec,
        row: dict[str, Any],
        props: dict[str, Any],
        reasons: list[str],
        issues: list[FieldIssue],
    ) -> list[dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        for kind, fields in spec.identifiers.items():
            for field in [fields] if isinstance(fields, str) else fields:
                value = _lookup(row, field)
                if value is None:
                    continue
                try:
                    normal = normalize.identifier(kind, str(value), self._region)
                except ValueError as exc:
                    if kind in spec.strict:
                        reasons.append(f"{spec.name}.{field}: {exc}")
                    else:
                        issues.append(FieldIssue(spec.name, field, value, str(exc)))
                    continue
                found[f"{kind}:{normal}"] = {"key": f"{kind}:{normal}", "kind": kind, "value": normal}
        if spec.kind == "person" and all(props.get(k) for k in ("street", "postcode", "country")):
            # The address is weak evidence (households), kept as an identifier so it is one node.
            key = normalize.address_key(props["street"], props["postcode"], props["country"])
            found[f"address:{key}"] = {"key": f"address:{key}", "kind": "address", "value": key}
        return sorted(found.values(), key=lambda item: item["key"])
