"""Console languages: Latvian and English for agents; what a resident reads also in Russian.

Message ids are English; catalogs live in ``helpdesk/i18n/locales/*/LC_MESSAGES/console.po``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from helpdesk.i18n import gettext_for, normalize_language

CONSOLE_LANGUAGES = ("lv", "en")
DEFAULT = "lv"
# Agents work in Riga; deadlines are shown in local time, stored in UTC.
LOCAL_ZONE = ZoneInfo("Europe/Riga")


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
