"""Filters that arrive in a page's URL: a blank field means "any", never an error.

An HTML form sends every field, blank ones as `name=`; a `<select>` whose first option is
"Any" sends `status=`. Read as given, that blank fails validation (an enum or a date has
no blank value) and the whole page answers 400, so one unset filter broke all the others.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, model_validator


class FilterQuery(BaseModel):
    """Base for a page's query parameters: blank values are dropped before validation."""

    @model_validator(mode="before")
    @classmethod
    def _blank_is_any(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data
