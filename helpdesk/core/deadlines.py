"""Deadline arithmetic for requests.

GDPR Art. 12(3): a controller answers an access or correction request "within one month of receipt".
A month is a calendar month (Regulation 1182/71, Art. 3(2)(c)): the deadline falls on the same day
of the next month, or on that month's last day when it has no such day (31 January → 28/29 February).

The day is the controller's day, in Latvian time: a request that arrives at 00:30 on 31 January in
Riga is 22:30 on 30 January in UTC, and counting in UTC would move its deadline to 1 March (after
28 February, a day late). So whole months are added to the Riga wall-clock time and the result is
turned back into the zone it came in.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    # Residents and agents count days in Latvian time, whatever the server's zone.
    LOCAL_ZONE: tzinfo = ZoneInfo("Europe/Riga")
except ZoneInfoNotFoundError:  # pragma: no cover - minimal containers without tzdata
    from datetime import UTC as LOCAL_ZONE

#: "Due this week": the window in which an open item is flagged to agents (console badge and marks,
#: the deadline digest, /metrics). One constant so that every place counts the same items.
DUE_SOON = timedelta(days=7)


def _add_wall_clock_months(moment: datetime, months: int) -> datetime:
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months, clamping the day to the target month's length.

    An aware ``moment`` is counted in Latvian time (see the module docstring) and returned in its
    own zone; a naive one is counted as it is.
    """
    if moment.tzinfo is None:
        return _add_wall_clock_months(moment, months)
    local = moment.astimezone(LOCAL_ZONE)
    shifted = _add_wall_clock_months(local, months)
    # A wall-clock time that falls into the spring-forward gap keeps its date: fold=0 reads it
    # with the offset before the change, which is what the day count needs.
    return shifted.astimezone(moment.tzinfo)


def gdpr_deadline(received_at: datetime) -> datetime:
    """Art. 12(3): one calendar month from receipt."""
    return add_months(received_at, 1)


def question_deadline(received_at: datetime, hours: int) -> datetime:
    """When an escalated question should have its answer (HELPDESK_QUESTION_ANSWER_HOURS)."""
    return received_at + timedelta(hours=hours)
