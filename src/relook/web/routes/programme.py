"""The programme dashboard and the data-quality audit: the review as a whole, in
aggregate. Case-level lists (sign-offs waiting, overdue cases) only for roles that open
cases; every CSV download is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, field_validator

from relook.pipeline.quality import KEY_FIELDS
from relook.review import programme, referrals, victim_engagement
from relook.review.assessments import Decision
from relook.security import audit
from relook.security.accounts import User
from relook.security.audit import AuditAction
from relook.security.policy import Permission, allows
from relook.web.charts import columns, stacked_bars
from relook.web.deps import CurrentRun, CurrentUser, DbDep, StoreDep, require
from relook.web.errors import Forbidden
from relook.web.routes.queue import CATEGORY_LABELS
from relook.web.templating import render
from relook.workspace import RUN_OUTPUTS_DIR, Workspace

router = APIRouter()

STAGE_LABELS = {
    "unassigned": "Not started",
    "in_progress": "With a reviewer",
    "awaiting_sign_off": "Awaiting sign-off",
    "done": "Signed off",
}
BREAKDOWNS = {"band": "Band", "area": "Area", "category": "Category", "reviewer": "Reviewer"}
CASE_LISTS = ("waiting", "overdue")


class SettingsForm(BaseModel):
    start_on: dt.date | None = None
    deadline: dt.date | None = None
    weekly_target: int | None = Field(None, ge=0, le=100_000)
    csrf_token: str = ""

    @field_validator("start_on", "deadline", "weekly_target", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


def _sees_cases(user: User) -> bool:
    return allows(user.role, Permission.VIEW_ALL_CASES)


def _weeks_chart(weeks: Sequence[programme.Week], target: int | None) -> Any:
    shown = weeks[-26:]
    return columns(
        [(w.starts.strftime("%d %b"), w.signed_off) for w in shown],
        title="Cases signed off per week",
        target=target,
    )


def _breakdown_chart(name: str, tallies: Sequence[programme.Tally]) -> Any:
    rows = [
        (CATEGORY_LABELS.get(t.label, t.label), [t.counts[s] for s in programme.STAGES])
        for t in tallies[:20]
    ]
    return stacked_bars(
        rows, [STAGE_LABELS[s] for s in programme.STAGES], title=f"Progress by {name}"
    )


@router.get("/programme", name="programme", dependencies=[require(Permission.VIEW_PROGRAMME)])
def programme_page(request: Request, db: DbDep, user: CurrentUser, run: CurrentRun) -> Response:
    today = dt.date.today()
    settings = programme.settings(db)
    progress = programme.progress(db, run.run_id)
    weeks = programme.weekly(db, today, settings.start_on)
    sees_cases = _sees_cases(user)
    return render(
        request,
        "programme.html",
        title="Programme",
        run=run,
        settings=settings,
        progress=progress,
        national=len(referrals.signed_off(db, Decision.REFER_NATIONAL_PANEL)),
        engagement=programme.engagement(db, run.run_id),
        engagement_labels=victim_engagement.STATUS_LABELS,
        forecast=programme.forecast(progress.overall, weeks, today, settings.deadline),
        weeks=weeks,
        weeks_chart=_weeks_chart(weeks, settings.weekly_target),
        charts={
            name: _breakdown_chart(label.lower(), progress.by[name])
            for name, label in BREAKDOWNS.items()
        },
        breakdowns=BREAKDOWNS,
        stages=STAGE_LABELS,
        waiting=programme.waiting_sign_off(db, today) if sees_cases else None,
        overdue=programme.overdue(db, today) if sees_cases else None,
        overdue_days=programme.OVERDUE_DAYS,
        slow_days=programme.SLOW_SIGN_OFF_DAYS,
        may_change=allows(user.role, Permission.MANAGE_PROGRAMME),
    )


@router.post(
    "/programme/settings",
    name="programme_settings",
    dependencies=[require(Permission.MANAGE_PROGRAMME)],
)
def programme_settings(
    store: StoreDep, user: CurrentUser, form: Annotated[SettingsForm, Form()]
) -> Response:
    with store.write() as connection:
        programme.save_settings(
            connection,
            user,
            start_on=form.start_on,
            deadline=form.deadline,
            weekly_target=form.weekly_target,
        )
    return RedirectResponse("/programme#settings", status_code=303)


def _table(name: str, db: DbDep, run_id: str) -> tuple[list[str], Iterable[Sequence[Any]]]:
    today = dt.date.today()
    stages = list(programme.STAGES)
    if name in BREAKDOWNS:
        tallies = programme.progress(db, run_id).by[name]
        header = [name, *stages, "total"]
        return header, ([t.label, *(t.counts[s] for s in stages), t.total] for t in tallies)
    if name == "weekly":
        weeks = programme.weekly(db, today, programme.settings(db).start_on)
        rows = ([w.starts.isoformat(), w.submitted, w.signed_off] for w in weeks)
        return ["week_starting", "submitted", "signed_off"], rows
    if name == "waiting":
        listed = programme.waiting_sign_off(db, today)
    else:
        listed = programme.overdue(db, today)
    return ["case_id", "who", "since", "days"], (
        [w.case_id, w.who, w.since, w.days] for w in listed
    )


@router.get(
    "/programme/{name}.csv",
    name="programme_csv",
    dependencies=[require(Permission.VIEW_PROGRAMME)],
)
def programme_csv(
    name: Annotated[str, Path(pattern=r"^(band|area|category|reviewer|weekly|waiting|overdue)$")],
    db: DbDep,
    store: StoreDep,
    user: CurrentUser,
    run: CurrentRun,
) -> Response:
    if name in CASE_LISTS and not _sees_cases(user):
        raise Forbidden("case lists are for the roles that open cases")
    header, rows = _table(name, db, run.run_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    with store.write() as connection:
        audit.append(
            connection, user.actor, AuditAction.EXPORT, object_type="programme", object_id=name,
            detail={"run_id": run.run_id},
        )  # fmt: skip
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="programme-{name}.csv"'},
    )


def _quality_rows(path: Any) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@router.get("/quality", name="quality", dependencies=[require(Permission.VIEW_PROGRAMME)])
def quality_page(request: Request, run: CurrentRun) -> Response:
    """Completeness of the key fields by year reported, from the run's quality.csv."""
    workspace = Workspace(request.app.state.settings.workspace)
    path = workspace.run_dir(run.run_id) / RUN_OUTPUTS_DIR / "quality.csv"
    rows = _quality_rows(path) if path.exists() else []
    series = []
    for key in KEY_FIELDS:
        years = [
            r for r in rows
            if r["table"] == key.table and r["field"] == key.field and r["role"] == key.role
            and r["year"]
        ]  # fmt: skip
        years.sort(key=lambda r: r["year"])
        chart = columns(
            [(r["year"], round(100 * float(r["completeness"] or 0))) for r in years],
            title=f"{key.label}: % recorded by year reported",
            ceiling=100,
            unit="%",
        )
        series.append((key, years, chart))
    return render(
        request, "quality.html", title="Data quality", run=run, series=series, found=bool(rows)
    )
