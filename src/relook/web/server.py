"""The application factory uvicorn calls in each worker process (`relook serve`).

Settings arrive through the environment so that every worker builds the same app:
`RELOOK_WORKSPACE`, `RELOOK_BIND_HOST` and, optionally, `RELOOK_SECURE_COOKIES`,
`RELOOK_DATABASE_URL` and `RELOOK_SECRET_KEY`.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from relook.web.app import create_app
from relook.web.settings import WebSettings

WORKSPACE_ENV = "RELOOK_WORKSPACE"
HOST_ENV = "RELOOK_BIND_HOST"


def app_from_environment() -> FastAPI:
    workspace = Path(os.environ.get(WORKSPACE_ENV, "relook-workspace"))
    host = os.environ.get(HOST_ENV, "127.0.0.1")
    return create_app(WebSettings.for_workspace(workspace, host=host))
