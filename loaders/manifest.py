"""The load plan of a directory: `manifest.toml` lists its files and their mappings, in order."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

__all__ = ["ManifestError", "PlannedFile", "plan"]


class ManifestError(ValueError):
    pass


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    path: str
    mapping: str
    source: str | None = None


class _Manifest(BaseModel):
    model_config = ConfigDict(extra="allow")
    files: list[_Entry]


@dataclass(frozen=True)
class PlannedFile:
    path: Path
    mapping: str | Path
    source: str | None = None


def plan(paths: list[Path], mapping: str | Path | None, source: str | None) -> list[PlannedFile]:
    """Expand directories through their manifest; a file takes `mapping` or its stem's mapping."""
    planned: list[PlannedFile] = []
    for path in paths:
        if path.is_dir():
            planned.extend(_from_manifest(path, source))
        elif path.is_file():
            planned.append(PlannedFile(path, mapping or _stem(path), source))
        else:
            raise ManifestError(f"{path}: no such file or directory")
    return planned


def _stem(path: Path) -> str:
    return path.name.split(".", 1)[0]


def _from_manifest(folder: Path, source: str | None) -> list[PlannedFile]:
    manifest = folder / "manifest.toml"
    if not manifest.is_file():
        raise ManifestError(
            f"{folder}: no manifest.toml; load its files one by one with --mapping, "
            "or add a manifest listing them ([[files]] path = ..., mapping = ...)"
        )
    try:
        parsed = _Manifest.model_validate(tomllib.loads(manifest.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{manifest}: {exc}") from exc
    planned = []
    for entry in parsed.files:
        mapping: str | Path = entry.mapping
        if entry.mapping.endswith(".toml"):
            mapping = folder / entry.mapping
        if not (folder / entry.path).is_file():
            # Checked before anything loads: a plan that cannot finish does not start.
            raise ManifestError(f"{manifest}: {entry.path}: no such file")
        planned.append(PlannedFile(folder / entry.path, mapping, source or entry.source))
    return planned
