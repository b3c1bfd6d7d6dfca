"""What the assessment form starts with: the author's draft, else the version a supervisor
returned (with their comment beside it), else nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from relook.review.assessments import QUESTIONS, Assessment, SignOffOutcome
from relook.review.drafts import Draft


@dataclass(frozen=True)
class FormStart:
    source: str
    """`draft`, `returned` or `blank`."""
    fields: dict[str, str] = field(default_factory=dict)
    saved_at: str | None = None
    returned_by: str | None = None
    comment: str | None = None


def _fields_of(version: Assessment) -> dict[str, str]:
    fields = {
        "decision": version.decision.value,
        "rationale": version.rationale,
        "reasons": ",".join(version.reasons),
    }
    for (key, _question), (_text, answer, notes) in zip(QUESTIONS, version.answers, strict=True):
        fields[f"{key}_answer"] = answer.value
        fields[f"{key}_notes"] = notes
    return fields


def form_start(draft: Draft | None, history: Sequence[Assessment]) -> FormStart:
    """`history` newest first, as `assessments.history` gives it."""
    latest = history[0] if history else None
    returned = (
        latest if latest and latest.sign_off and latest.sign_off.outcome is SignOffOutcome.RETURNED
        else None
    )  # fmt: skip
    comment = returned.sign_off.comment if returned and returned.sign_off else None
    returned_by = returned.sign_off.supervisor if returned and returned.sign_off else None
    if draft is not None:
        return FormStart("draft", draft.fields, draft.saved_at, returned_by, comment)
    if returned is not None:
        return FormStart("returned", _fields_of(returned), None, returned_by, comment)
    return FormStart("blank")
