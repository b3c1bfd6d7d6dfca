"""Load a rule set: the default shipped in the package, overlaid by a force's rules file.

A rules file has one section per rule set (`scope:`, `lexicon:`, `scoring:`). Only what
it writes changes: mappings merge key by key, lists and values replace the default.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from relook.errors import RelookError

Model = TypeVar("Model", bound=BaseModel)


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _rules_file_section(path: Path, section: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise RelookError(f"{path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise RelookError(f"{path}: is not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise RelookError(f"{path}: a rules file must be a mapping of sections")
    value = data.get(section) or {}
    if not isinstance(value, dict):
        raise RelookError(f"{path}: section {section!r} must be a mapping")
    return value


def load_rule_set(model: type[Model], section: str, path: Path | None) -> Model:
    """Validate `<section>.yaml` from the package, overlaid by `path`'s `<section>:`."""
    text = resources.files("relook.rules").joinpath(f"{section}.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    if path is not None:
        data = merge(data, _rules_file_section(path, section))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        label = path or f"default {section} rules"
        raise RelookError(f"{label}: {section}.{where}: {first['msg']}") from None
