"""How many requests a worker process works on at once, and where slow work runs.

Pages are Python that holds the GIL for almost all of their few milliseconds; their
waits on the store are short. Running many of them at once in one process only makes
them take turns on the GIL, and a thread that gives the GIL up for each database call
waits up to the interpreter's switch interval (5 ms) to get it back, so at 16 clients
with Starlette's default of 40 threads the case page's p95 was three times its median.
Each worker therefore runs at most `page_threads` page handlers at once (default 2: one
computing while another waits on the store); run more worker processes to use more
cores (`relook serve --workers`).

Work that is slow by nature (hashing a password at sign-in, a match explanation from
the analysis database, verifying the audit chain, an export) must not hold up pages
behind it: such routes are marked `@slow_work` and run on a pool of their own.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import weakref
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import anyio
import anyio.to_thread

DEFAULT_PAGE_THREADS = 2
SLOW_WORK_THREADS = 8

P = ParamSpec("P")
R = TypeVar("R")

_slow_limiters: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _slow_limiter() -> anyio.CapacityLimiter:
    # One per event loop: a limiter belongs to the loop it was first used on (tests run
    # several loops in one process).
    loop = asyncio.get_running_loop()
    limiter = _slow_limiters.get(loop)
    if limiter is None:
        limiter = _slow_limiters[loop] = anyio.CapacityLimiter(SLOW_WORK_THREADS)
    return limiter


def slow_work(endpoint: Callable[P, R]) -> Callable[P, Any]:
    """Run a synchronous route on the slow-work pool instead of the page pool."""

    @functools.wraps(endpoint)
    async def run(*args: P.args, **kwargs: P.kwargs) -> R:
        call = functools.partial(endpoint, *args, **kwargs)
        return await anyio.to_thread.run_sync(call, limiter=_slow_limiter())

    return run


def configure_worker(page_threads: int) -> None:
    """Called once in each worker process as the application starts."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = page_threads
    # Everything built at start-up (routes, templates, compiled SQL) lives as long as the
    # process: leave it out of every later collection. A page allocates tens of
    # thousands of short-lived objects; collecting the youngest generation every 700
    # allocations (the default) cost more than it freed.
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
