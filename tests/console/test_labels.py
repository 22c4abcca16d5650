"""Every code an agent can meet on a page has words in both console languages: each audit action
any part of the helpdesk writes (found in its source, so a new one cannot slip by), and each button
a resident can press. The actions done to an item also have words in the residents' three
languages: a resident's data export lists what was done with their requests."""

from __future__ import annotations

import re
from pathlib import Path

import helpdesk
from helpdesk.core.types import Action
from helpdesk.i18n import LANGUAGES, gettext_for

PACKAGE = Path(helpdesk.__file__).parent
CODE = r'"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*)"'
WRITTEN = re.compile(r"(?:\.log\(|\baction=|\baudit_action=)\s*" + CODE)
CONSTANT = re.compile(r"^([A-Z_]+)\s*=\s*" + CODE, re.M)
BY_NAME = re.compile(r"\baction=([A-Z_]+)\b")
CHOSEN = re.compile(r"\baction = " + CODE + r" if .+ else " + CODE)
# Written with a request id by the handlers and the mailbox (the rest of the item's trail is casework's).
ITEM_EVENTS_ELSEWHERE = {"request.created", "request.details_added", "resident.replied", "mail.quarantined"}


def _audit_actions(root: Path) -> set[str]:
    sources = {
        path: path.read_text(encoding="utf-8")
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
    }
    constants = {name: value for text in sources.values() for name, value in CONSTANT.findall(text)}
    found: set[str] = set()
    for text in sources.values():
        found |= set(WRITTEN.findall(text))
        found |= {constants[name] for name in BY_NAME.findall(text) if name in constants}
        for pair in CHOSEN.findall(text):
            found |= set(pair)
    return found - {"store_true"}  # argparse's action="store_true"


def _missing(domain: str, language: str, keys: set[str]) -> list[str]:
    translate = gettext_for(domain, language).gettext
    return sorted(key for key in keys if translate(key) == key)


def test_every_audit_action_written_has_words_in_the_console() -> None:
    written = _audit_actions(PACKAGE)
    # The scan sees every way the code writes one: literals, constants, a chosen pair.
    assert {"claim", "request.details_added", "resident.replied", "link.failed"} <= written
    assert {"agent.totp_enrolled", "agent.totp_removed", "request.attached", "resident.searched"} <= written
    for language in ("lv", "en"):
        assert _missing("console", language, {f"audit:{action}" for action in written}) == []


def test_what_was_done_to_an_item_has_words_for_the_resident() -> None:
    item_events = _audit_actions(PACKAGE / "casework") | ITEM_EVENTS_ELSEWHERE
    assert {"export.sent", "verify.failed", "request.attached"} <= item_events
    for language in LANGUAGES:
        assert _missing("helpdesk", language, {f"audit:{action}" for action in item_events}) == []


def test_every_button_a_resident_can_press_has_a_name_for_the_agent() -> None:
    for language in ("lv", "en"):
        assert _missing("console", language, {f"button:{action}" for action in Action}) == []
