"""`relook serve`: the reviewer web application on a workspace."""

from __future__ import annotations

import os
from pathlib import Path

import uvicorn

from relook.commands.progress import console
from relook.review.runs import latest_run
from relook.web.server import HOST_ENV, WORKSPACE_ENV
from relook.web.settings import PAGE_THREADS_ENV, SECURE_COOKIES_ENV, WebSettings
from relook.workspace import Workspace


def run(
    workspace: Path,
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    secure_cookies: bool | None,
) -> None:
    space = Workspace(workspace)
    with space.store() as store, store.read() as connection:
        run_info = latest_run(connection)
    settings = WebSettings.for_workspace(workspace, host=host, secure_cookies=secure_cookies)
    os.environ[WORKSPACE_ENV] = str(workspace.resolve())
    os.environ[HOST_ENV] = host
    os.environ[SECURE_COOKIES_ENV] = "1" if settings.secure_cookies else "0"
    os.environ[PAGE_THREADS_ENV] = str(threads)
    if run_info is None:
        console.print(
            "[yellow]No run in this workspace's store yet:[/] pages will say so until"
            " `relook run` has completed."
        )
    console.print(
        f"relook on http://{host}:{port}/ · store {space.store_description}"
        f" · cookies {'Secure' if settings.secure_cookies else 'not Secure (plain http)'}"
        f" · {workers} worker(s) × {threads} page thread(s)"
    )
    uvicorn.run(
        "relook.web.server:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        server_header=False,
    )
