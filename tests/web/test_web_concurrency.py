"""Pages share a small thread pool per worker; slow work (sign-in hashing, match
explanations, audit verification, exports) runs on a pool of its own."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import anyio.to_thread
import pytest

from relook.web.concurrency import DEFAULT_PAGE_THREADS, configure_worker, slow_work
from relook.web.settings import PAGE_THREADS_ENV, WebSettings


@asynccontextmanager
async def every_page_thread_busy() -> AsyncIterator[None]:
    """The page pool cut to one thread, held by another page until the block ends."""
    pages = anyio.to_thread.current_default_thread_limiter()
    pages.total_tokens = 1
    busy_page = object()
    await pages.acquire_on_behalf_of(busy_page)
    try:
        yield
    finally:
        pages.release_on_behalf_of(busy_page)


def test_slow_work_is_not_held_up_by_busy_page_threads() -> None:
    ran_on: list[str] = []

    @slow_work
    def hash_something(value: int) -> int:
        ran_on.append(threading.current_thread().name)
        return value * 2

    async def main() -> int:
        async with every_page_thread_busy():
            with anyio.fail_after(5):
                return await hash_something(21)

    assert anyio.run(main) == 42
    assert ran_on and ran_on[0] != threading.current_thread().name


def test_a_page_waits_for_a_page_thread() -> None:
    """The counterpart: with the page pool full, a page's work does not start."""

    async def main() -> bool:
        async with every_page_thread_busy():
            with anyio.move_on_after(0.3) as waited:
                await anyio.to_thread.run_sync(lambda: None)
            return waited.cancelled_caught

    assert anyio.run(main) is True


def test_configure_worker_sizes_the_page_pool() -> None:
    saved = gc.get_threshold()

    async def main() -> float:
        configure_worker(3)
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    try:
        assert anyio.run(main) == 3
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        ("", DEFAULT_PAGE_THREADS),
        ("4", 4),
        ("0", DEFAULT_PAGE_THREADS),
        ("many", DEFAULT_PAGE_THREADS),
    ],
)
def test_page_threads_from_the_environment(
    configured: str,
    expected: int,
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(PAGE_THREADS_ENV, configured)
    with caplog.at_level(logging.WARNING, logger="relook.web"):
        settings = WebSettings.for_workspace(tmp_path)  # type: ignore[arg-type]
    assert settings.page_threads == expected
    warned = [r.getMessage() for r in caplog.records if PAGE_THREADS_ENV in r.getMessage()]
    assert bool(warned) == (configured not in ("", "4"))
