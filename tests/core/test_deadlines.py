"""One calendar month from receipt (GDPR Art. 12(3)), counted in Latvian time."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpdesk.core.deadlines import add_months, gdpr_deadline

RIGA = ZoneInfo("Europe/Riga")


def _riga(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=RIGA)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (_riga(2026, 1, 31, 12, 0), date(2026, 2, 28)),
        (_riga(2028, 1, 31, 12, 0), date(2028, 2, 29)),  # leap year
        (_riga(2026, 1, 29, 12, 0), date(2026, 2, 28)),
        (_riga(2026, 3, 31, 12, 0), date(2026, 4, 30)),
        (_riga(2026, 5, 31, 12, 0), date(2026, 6, 30)),
        (_riga(2026, 8, 31, 12, 0), date(2026, 9, 30)),
        (_riga(2026, 12, 31, 12, 0), date(2027, 1, 31)),
        (_riga(2026, 2, 28, 12, 0), date(2026, 3, 28)),
        # Just after midnight in Riga is still the previous day in UTC: the Riga day counts.
        (_riga(2026, 1, 31, 0, 30), date(2026, 2, 28)),
        (_riga(2026, 3, 1, 0, 30), date(2026, 4, 1)),
        (_riga(2026, 3, 31, 1, 0), date(2026, 4, 30)),  # summer time, UTC+3
        (_riga(2026, 10, 31, 23, 30), date(2026, 11, 30)),  # the night summer time ended
    ],
)
def test_deadline_falls_on_the_same_riga_day_next_month(received: datetime, due: date) -> None:
    for zone in (RIGA, UTC):  # whatever zone the channel gave us
        deadline = gdpr_deadline(received.astimezone(zone))
        assert deadline.tzinfo is zone
        assert deadline.astimezone(RIGA).date() == due


def test_time_of_day_is_kept_across_a_clock_change() -> None:
    received = _riga(2026, 3, 15, 9, 0)  # winter time; the deadline is in summer time
    deadline = gdpr_deadline(received.astimezone(UTC))
    assert deadline.astimezone(RIGA) == _riga(2026, 4, 15, 9, 0)
    assert deadline == datetime(2026, 4, 15, 6, 0, tzinfo=UTC)


def test_a_deadline_in_the_spring_forward_gap_keeps_its_date() -> None:
    # 29 March 2026 03:30 does not exist in Riga (the clocks jump from 03:00 to 04:00).
    moved = add_months(_riga(2026, 1, 29, 3, 30), 2)
    assert moved.astimezone(RIGA).date() == date(2026, 3, 29)


def test_naive_datetimes_are_counted_as_they_are() -> None:
    assert add_months(datetime(2026, 1, 31), 1) == datetime(2026, 2, 28)
    assert add_months(datetime(2026, 3, 1), -3) == datetime(2025, 12, 1)


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)),
)
def test_deadline_is_one_calendar_month_later_in_riga(received: datetime) -> None:
    deadline = gdpr_deadline(received)
    local, due = received.astimezone(RIGA), deadline.astimezone(RIGA)
    next_month = (local.year + local.month // 12, local.month % 12 + 1)
    assert (due.year, due.month) == next_month
    assert due.day == min(local.day, calendar.monthrange(*next_month)[1])
    assert timedelta(days=27) < deadline - received < timedelta(days=32)


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)),
    st.integers(min_value=-24, max_value=36),
)
def test_add_months_keeps_the_riga_day_or_clamps_it(moment: datetime, months: int) -> None:
    local = moment.astimezone(RIGA)
    shifted = add_months(moment, months).astimezone(RIGA)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    assert (shifted.year, shifted.month) == (year, month)
    assert shifted.day == min(local.day, calendar.monthrange(year, month)[1])
