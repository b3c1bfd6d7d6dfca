"""The programme's forecast from hand-made weeks: rate, range, deadline."""

from __future__ import annotations

import datetime as dt

from relook.review.programme import Tally, Week, forecast

TODAY = dt.date(2026, 12, 2)  # a Wednesday


def _tally(done: int, total: int) -> Tally:
    return Tally("all", {"unassigned": total - done, "in_progress": 0,
                         "awaiting_sign_off": 0, "done": done})  # fmt: skip


def _weeks(*signed_off: int) -> list[Week]:
    this_monday = TODAY - dt.timedelta(days=TODAY.weekday())
    n = len(signed_off)
    return [
        Week(this_monday - dt.timedelta(weeks=n - i), 0, count)
        for i, count in enumerate(signed_off)
    ] + [Week(this_monday, 0, 99)]  # this week is not full: never counted


def test_the_rate_of_the_last_four_full_weeks_gives_the_finish_and_its_range() -> None:
    result = forecast(_tally(100, 1100), _weeks(1, 10, 20, 30, 40), TODAY, dt.date(2027, 6, 1))
    assert result.remaining == 1000 and result.rate == 25.0
    assert result.finish == TODAY + dt.timedelta(days=round(7 * 1000 / 25))
    assert result.earliest == TODAY + dt.timedelta(days=round(7 * 1000 / 40))
    assert result.latest == TODAY + dt.timedelta(days=round(7 * 1000 / 10))
    assert result.on_track is False  # 280 days away, past June
    assert (
        result.needed_rate is not None and round(result.needed_rate, 1) == 38.7
    )  # 1000 cases in 181 days


def test_no_forecast_before_any_case_is_signed_off() -> None:
    result = forecast(_tally(0, 50), _weeks(0, 0), TODAY, None)
    assert result.rate is None and result.finish is None and result.on_track is None


def test_everything_done_finishes_today() -> None:
    result = forecast(_tally(50, 50), _weeks(5), TODAY, dt.date(2027, 1, 1))
    assert result.remaining == 0 and result.finish == TODAY and result.on_track is True
