"""The bot has no texts of its own: everything a resident reads there comes from the handlers, in
the one ``helpdesk`` catalog, as it does in ``helpdesk chat`` and e-mail."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from helpdesk.i18n import LOCALES_DIR

BOT_DIR = Path(__file__).parents[2] / "helpdesk" / "bot"


def test_the_bot_marks_no_text_for_translation() -> None:
    found = extract_from_dir(str(BOT_DIR), keywords={"_": None, "N_": None, "gettext": None}, comment_tags=())
    assert [message for _file, _line, message, _comments, _context in found] == []


def test_there_is_one_conversation_catalog() -> None:
    assert sorted(p.parent.parent.name for p in LOCALES_DIR.glob("*/LC_MESSAGES/helpdesk.po")) == [
        "en",
        "lv",
        "ru",
    ]
    assert list(LOCALES_DIR.glob("*/LC_MESSAGES/bot.po")) == []
