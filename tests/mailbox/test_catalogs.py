"""Every text of the mail templates and the mailbox code is in the ``helpdesk`` catalog, where all
resident texts live, in LV, RU and EN, and the placeholders survive translation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpdesk.i18n import LOCALES_DIR, gettext_for

MAILBOX = Path(__file__).parents[2] / "helpdesk" / "mailbox"
# _("...") in templates, translate("...") and translator(x)("...") in code (strings may be split).
_CALL = re.compile(r'(?:\b_|translate|translator\([^)]*\))\(\s*((?:"[^"]*"\s*)+)\)')


def mail_msgids() -> set[str]:
    found: set[str] = set()
    for path in [*MAILBOX.rglob("*.py"), *MAILBOX.glob("templates/*.j2")]:
        for match in _CALL.finditer(path.read_text(encoding="utf-8")):
            found.add("".join(re.findall(r'"([^"]*)"', match.group(1))))
    return found


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_every_mail_text_is_translated(language: str) -> None:
    ids = mail_msgids()
    assert len(ids) >= 12
    catalog = gettext_for("helpdesk", language)
    assert sorted(m for m in ids if catalog.gettext(m) == m) == []


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_placeholders_survive(language: str) -> None:
    catalog = gettext_for("helpdesk", language)
    for msgid in mail_msgids():
        for placeholder in re.findall(r"\{\w+\}", msgid):
            assert placeholder in catalog.gettext(msgid), (language, msgid)


def test_there_is_no_separate_mail_domain() -> None:
    assert sorted(LOCALES_DIR.glob("*/LC_MESSAGES/mail.po")) == []
