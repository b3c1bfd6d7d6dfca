"""Seconds and peak memory per step, and a callback that tells the caller which step runs."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

StepCallback = Callable[[str], None]


@dataclass(frozen=True)
class StageTiming:
    seconds: float
    peak_rss_mb: float


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class StageTimer:
    """Times each named step; `on_step` hears each name as the step starts."""

    on_step: StepCallback | None = None
    timings: dict[str, StageTiming] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        if self.on_step:
            self.on_step(name)
        start = time.perf_counter()
        yield
        self.timings[name] = StageTiming(round(time.perf_counter() - start, 3), peak_rss_mb())
