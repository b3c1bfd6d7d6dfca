"""The store's notion of now, in the two forms it stores (one place to fake it in tests)."""

from __future__ import annotations

import datetime as dt
import time


def now_epoch() -> int:
    """Whole seconds since the epoch: sessions and lock-outs compare these."""
    return int(time.time())


def now_iso() -> str:
    """UTC time with microseconds, e.g. `2026-11-22T10:15:02.123456Z`: audit entries and
    review decisions store this text, which sorts in time order and hashes the same on
    every database."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
