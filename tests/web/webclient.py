"""An in-process browser for the web tests: httpx over ASGITransport, driven from
synchronous tests through an anyio blocking portal, keeping cookies and the CSRF token."""

from __future__ import annotations

import re
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal
from fastapi import FastAPI

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class WebClient:
    def __init__(self, app: FastAPI, portal: BlockingPortal) -> None:
        self.portal = portal
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app, raise_app_exceptions=False),
            base_url="http://relook.test",
        )
        self.csrf = ""

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            return await self.http.request(method, url, **kwargs)

        return self.portal.call(call)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(
        self, url: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kwargs: Any
    ) -> httpx.Response:
        body = dict(data or {})
        if csrf and "csrf_token" not in body:
            body["csrf_token"] = self.csrf
        return self.request("POST", url, data=body, **kwargs)

    def login(self, username: str, password: str) -> httpx.Response:
        page = self.get("/login")
        response = self.post(
            "/login",
            {"username": username, "password": password, "csrf_token": form_token(page.text)},
        )
        if response.status_code == 303:
            home = self.get(response.headers["location"])
            self.csrf = form_token(home.text)
        return response

    def close(self) -> None:
        self.portal.call(self.http.aclose)
