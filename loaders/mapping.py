"""Declarative mappings: which source fields become which nodes, identifiers and relationships.

A mapping is a TOML file (see loaders/mappings/ for the built-in ones); a new source system
needs a new mapping, not new code. Mappings are validated up front so that a typo in a field
name is a clear error before any row is read.
"""

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graph.attributes import NAME as ATTRIBUTE_NAME
from graph.attributes import AttributeType
from graph.model import RELATIONSHIPS
from loaders.records import RECORD_MODELS

__all__ = [
    "AttributeSpec",
    "EntitySpec",
    "Mapping",
    "MappingError",
    "RelationshipSpec",
    "builtin_names",
    "load_mapping",
]

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
FieldRef = str | list[str]


class MappingError(ValueError):
    """A mapping file is missing, unreadable or inconsistent."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AttributeSpec(_Spec):
    """A custom attribute: the source field and its type (graph/attributes.py)."""

    field: str = Field(min_length=1)
    type: AttributeType = "string"


class EntitySpec(_Spec):
    name: str = Field(pattern=_NAME.pattern)
    kind: Literal["person", "organization", "device", "account", "touchpoint", "consent"]
    id: str = Field(description="Source field holding the record's id in its source system.")
    source: str | None = Field(None, description="Source system of this entity, if not the file's.")
    reference: bool = Field(False, description="Only link to it; its attributes come from elsewhere.")
    optional: bool = Field(False, description="Skip the entity (and its links) when its id is empty.")
    accumulate: bool = Field(
        False,
        description="The record is seen piecemeal (one event per row): identifiers add up, "
        "attributes follow the newest row, instead of each row replacing the record.",
    )
    updated_at: str | None = Field(None, description="Source field with the record's version time.")
    fields: dict[str, str] = Field(default_factory=dict, description="attribute -> source field")
    constants: dict[str, str | int | float | bool] = Field(default_factory=dict)
    identifiers: dict[str, FieldRef] = Field(default_factory=dict, description="kind -> source field(s)")
    attributes: dict[str, str | AttributeSpec] = Field(
        default_factory=dict,
        description="Custom attributes of a person: name -> source field (a string) or {field, type}.",
    )
    strict: list[str] = Field(
        default_factory=list,
        description="Attributes or identifier kinds whose invalid value rejects the whole row; "
        "any other invalid optional value is left out and the record still lands.",
    )

    def attribute_specs(self) -> dict[str, AttributeSpec]:
        """Every custom attribute as {field, type} (a bare string is a string attribute)."""
        return {
            name: spec if isinstance(spec, AttributeSpec) else AttributeSpec(field=spec)
            for name, spec in sorted(self.attributes.items())
        }

    @model_validator(mode="after")
    def _check(self) -> Self:
        allowed = set(RECORD_MODELS[self.kind].model_fields)
        unknown = (set(self.fields) | set(self.constants)) - allowed
        if unknown:
            raise ValueError(
                f"entity {self.name!r}: unknown {self.kind} attribute(s) {sorted(unknown)}; allowed: {sorted(allowed)}"
            )
        if self.identifiers and self.kind != "person":
            raise ValueError(f"entity {self.name!r}: only person entities carry identifiers")
        bad = [kind for kind in self.identifiers if not _NAME.match(kind)]
        if bad:
            raise ValueError(f"entity {self.name!r}: identifier kinds must be lower_snake_case: {bad}")
        if self.attributes and self.kind != "person":
            raise ValueError(f"entity {self.name!r}: only person entities carry custom attributes")
        bad = [name for name in self.attributes if not ATTRIBUTE_NAME.match(name)]
        if bad:
            raise ValueError(f"entity {self.name!r}: attribute names must be lower_snake_case (max 40): {bad}")
        unknown_strict = set(self.strict) - set(self.fields) - set(self.identifiers) - set(self.attributes)
        if unknown_strict:
            raise ValueError(
                f"entity {self.name!r}: strict names {sorted(unknown_strict)} are neither mapped attributes "
                f"nor identifier kinds of this entity"
            )
        if self.accumulate and self.kind != "person":
            raise ValueError(f"entity {self.name!r}: only person entities accumulate")
        if self.reference and (self.fields or self.identifiers or self.attributes):
            raise ValueError(f"entity {self.name!r}: a reference carries no fields or identifiers")
        return self


class RelationshipSpec(_Spec):
    type: str
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    fields: dict[str, str] = Field(default_factory=dict)
    constants: dict[str, str] = Field(default_factory=dict)


class Mapping(_Spec):
    name: str
    source: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    format: Literal["csv", "jsonl"] | None = None
    keep: list[str] | None = Field(None, description="Allow-list of source fields; all others are dropped on read.")
    keep_raw: bool = Field(
        True,
        description="Store the source row on the primary entity. Off for files with several rows "
        "per entity (one row per account holder), where no single row is the record.",
    )
    entities: list[EntitySpec]
    relationships: list[RelationshipSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Self:
        by_name = {entity.name: entity for entity in self.entities}
        if len(by_name) != len(self.entities):
            raise ValueError("entity names must be unique")
        if not any(not entity.reference for entity in self.entities):
            raise ValueError("a mapping needs at least one entity that is not a reference")
        for rel in self.relationships:
            if rel.type not in RELATIONSHIPS:
                raise ValueError(f"unknown relationship type {rel.type!r}; allowed: {sorted(RELATIONSHIPS)}")
            spec = RELATIONSHIPS[rel.type]
            for end, want in ((rel.start, spec.start), (rel.end, spec.end)):
                if end not in by_name:
                    raise ValueError(f"{rel.type}: no entity named {end!r}")
                if by_name[end].kind != want:
                    raise ValueError(f"{rel.type}: {end!r} is a {by_name[end].kind}, expected a {want}")
            props = set(rel.fields) | set(rel.constants)
            if not props <= set(spec.properties):
                raise ValueError(
                    f"{rel.type}: unknown properties {sorted(props - set(spec.properties))}; "
                    f"allowed: {list(spec.properties)}"
                )
        if self.keep is not None:
            needed = self.source_fields() - set(self.keep)
            if needed:
                raise ValueError(f"fields used by the mapping but not kept: {sorted(needed)}")
        return self

    @property
    def primary(self) -> EntitySpec:
        """The entity that keeps the raw source row: the first one that is not a reference."""
        return next(entity for entity in self.entities if not entity.reference)

    def source_fields(self) -> set[str]:
        """Top-level source fields the mapping reads (for a.b paths, `a`)."""
        refs: set[str] = set()
        for entity in self.entities:
            refs.add(entity.id)
            refs.update(f for f in (entity.updated_at,) if f)
            refs.update(entity.fields.values())
            refs.update(spec.field for spec in entity.attribute_specs().values())
            for value in entity.identifiers.values():
                refs.update([value] if isinstance(value, str) else value)
        for rel in self.relationships:
            refs.update(rel.fields.values())
        return {ref.split(".", 1)[0] for ref in refs}


def builtin_names() -> list[str]:
    folder = resources.files("loaders.mappings")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_mapping(name_or_path: str | Path, *, source: str | None = None) -> Mapping:
    """A built-in mapping by name, or a mapping file by path; `source` overrides its source name."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        name = path.stem
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise MappingError(f"cannot read mapping {path}: {exc}") from exc
    elif str(name_or_path) in builtin_names():
        name = str(name_or_path)
        text = resources.files("loaders.mappings").joinpath(f"{name}.toml").read_text(encoding="utf-8")
    else:
        raise MappingError(f"no mapping {str(name_or_path)!r}: give a .toml file or one of {builtin_names()}")
    try:
        data = tomllib.loads(text)
        data.setdefault("name", name)
        if source is not None:
            data["source"] = source
        return Mapping.model_validate(data)
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise MappingError(f"invalid mapping {name!r}: {exc}") from exc
