"""Deadline arithmetic for requests.

GDPR Art. 12(3): a controller answers an access or correction request "within one month of receipt".
A month is a calendar month (Regulation 1182/71, Art. 3(2)(c)): the deadline falls on the same day
of the next month, or on that month's last day when it has no such day (31 January → 28/29 February).
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta


def add_months(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months, clamping the day to the target month's length."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def gdpr_deadline(received_at: datetime) -> datetime:
    """Art. 12(3): one calendar month from receipt."""
    return add_months(received_at, 1)


def question_deadline(received_at: datetime, hours: int) -> datetime:
    """When an escalated question should have its answer (HELPDESK_QUESTION_ANSWER_HOURS)."""
    return received_at + timedelta(hours=hours)
