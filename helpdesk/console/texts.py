"""Console languages: Latvian and English for agents; what a resident reads also in Russian.

Message ids are English; catalogs live in ``helpdesk/i18n/locales/*/LC_MESSAGES/console.po``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta

from helpdesk.i18n import dates, gettext_for, normalize_language

CONSOLE_LANGUAGES = ("lv", "en")
DEFAULT = "lv"
# Agents work in Riga; deadlines are shown in local time, stored in UTC.
LOCAL_ZONE = ZoneInfo("Europe/Riga")


def console_language(code: str | None) -> str:
    language = normalize_language(code, DEFAULT)
    return language if language in CONSOLE_LANGUAGES else "en"


def gettext(language: str) -> Callable[[str], str]:
    return gettext_for("console", language).gettext


def local_in(moment: datetime | None, language: str) -> str:
    """A moment for a console page: Riga time, written as the agent's language writes dates (the
    residents' patterns, :mod:`helpdesk.i18n.dates`, without "plkst." in a column of times)."""
    if moment is None:
        return ""
    return dates.moment(moment, console_language(language), clock_word=False)


def relative(moment: datetime, now: datetime, language: str) -> str:
    """How far a deadline is ("in 5 hours", "9 days ago"), shown beside the date itself."""
    return str(
        format_timedelta(moment - now, add_direction=True, threshold=1.5, locale=console_language(language))
    )


def end_of_day(now: datetime) -> datetime:
    """The next midnight in Riga, where the agents' "today" ends (a calendar day: 23 or 25 hours
    long when the clocks change). The queue's ``?due=today`` filter and count stop here too."""
    tomorrow = now.astimezone(LOCAL_ZONE).date() + timedelta(days=1)
    return datetime.combine(tomorrow, time(), tzinfo=LOCAL_ZONE)


def due_today(moment: datetime, now: datetime) -> bool:
    """Due before midnight in Riga (and not yet past): what an agent must finish today."""
    return now <= moment < end_of_day(now)
