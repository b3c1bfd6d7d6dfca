"""Server-rendered pages: one Jinja environment, autoescaped, with a few filters.

`render` adds what every page needs: the signed-in user, the session's CSRF token (for
forms and for HTMX's header) and `can(permission)` so templates show only the actions
the policy allows (the routes enforce it regardless).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from relook.reports.document import handling_marking
from relook.security.policy import Permission, allows

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES))
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True
# Templates ship with the package and never change while the server runs: without this
# Jinja stats every template file on every render.
templates.env.auto_reload = False


def date_text(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _epoch(value: int | None) -> str:
    if value is None:
        return "—"
    return dt.datetime.fromtimestamp(value, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _stamp(value: str | None) -> str:
    """An ISO timestamp as stored (`2026-11-22T10:15:02.123456Z`) → `2026-11-22 10:15:02`."""
    if not value:
        return "—"
    return value.replace("T", " ")[:19]


def _humanise(value: object) -> str:
    text = "" if value is None else str(value).replace("_", " ")
    return text[:1].upper() + text[1:]


templates.env.filters["date"] = date_text
templates.env.filters["epoch"] = _epoch
templates.env.filters["stamp"] = _stamp
templates.env.filters["humanise"] = _humanise
# The handling marking at the top of every page, as on every page of a case report.
templates.env.globals["marking"] = handling_marking()


def render(request: Request, name: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    session = getattr(request.state, "login_session", None)
    user = session.user if session else None

    def can(permission: str) -> bool:
        return user is not None and allows(user.role, Permission(permission))

    context.setdefault("title", "")
    response = templates.TemplateResponse(
        request,
        name,
        {
            **context,
            "user": user,
            "csrf_token": session.csrf_token if session else context.get("csrf_token", ""),
            "can": can,
        },
        status_code=status,
    )
    return response
