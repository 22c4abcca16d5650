"""Every text the bot shows is in the ``bot`` catalogs, translated for LV and RU."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from helpdesk.bot.texts import translator_for
from helpdesk.i18n import gettext_for

BOT_DIR = Path(__file__).parents[2] / "helpdesk" / "bot"


def bot_msgids() -> list[str]:
    found = extract_from_dir(str(BOT_DIR), keywords={"_": None, "N_": None}, comment_tags=())
    return sorted({str(message) for _file, _line, message, _comments, _context in found})


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_every_bot_text_is_translated(language: str) -> None:
    ids = bot_msgids()
    assert len(ids) > 30
    catalog = gettext_for("bot", language)
    untranslated = [m for m in ids if catalog.gettext(m) == m]
    assert untranslated == []


def test_placeholders_survive_translation() -> None:
    for language in ("lv", "ru", "en"):
        text = translator_for(language)(
            "This message is too long for me. Please shorten it to {limit} characters.", limit=4000
        )
        assert "4000" in text
