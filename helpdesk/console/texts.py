"""Console languages: Latvian and English for agents; what a resident reads also in Russian.

Message ids are English; catalogs live in ``helpdesk/i18n/locales/*/LC_MESSAGES/console.po``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta

from helpdesk.i18n import gettext_for, normalize_language

CONSOLE_LANGUAGES = ("lv", "en")
DEFAULT = "lv"
# Agents work in Riga; deadlines are shown in local time, stored in UTC.
LOCAL_ZONE = ZoneInfo("Europe/Riga")
# What an agent reads on the pages: the date as their language writes it (the bot's formats too).
_PAGE_FORMATS = {"lv": "dd.MM.yyyy HH:mm", "en": "d MMM yyyy HH:mm"}


def console_language(code: str | None) -> str:
    language = normalize_language(code, DEFAULT)
    return language if language in CONSOLE_LANGUAGES else "en"


def gettext(language: str) -> Callable[[str], str]:
    return gettext_for("console", language).gettext


def local(moment: datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return ""
    value = moment.astimezone(LOCAL_ZONE)
    return value.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def local_in(moment: datetime | None, language: str) -> str:
    """A moment for a console page: Riga time, written as the agent's language writes dates."""
    if moment is None:
        return ""
    pattern = _PAGE_FORMATS.get(console_language(language), _PAGE_FORMATS[DEFAULT])
    return str(
        format_datetime(moment.astimezone(LOCAL_ZONE), format=pattern, locale=console_language(language))
    )


def relative(moment: datetime, now: datetime, language: str) -> str:
    """How far a deadline is ("in 5 hours", "9 days ago"), shown beside the date itself."""
    return str(
        format_timedelta(moment - now, add_direction=True, threshold=1.5, locale=console_language(language))
    )


def due_today(moment: datetime, now: datetime) -> bool:
    """Due before midnight in Riga (and not yet past): what an agent must finish today."""
    tomorrow = now.astimezone(LOCAL_ZONE).date() + timedelta(days=1)
    return now <= moment < datetime.combine(tomorrow, time(), tzinfo=LOCAL_ZONE)
