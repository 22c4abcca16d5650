"""One script of inputs, two channels: the Telegram bot (real webhook, fake Bot API) and
``helpdesk chat`` (its real loop, reading stdin, printing replies) give the same texts and the same
buttons, labels and order, because the conversation lives in the handlers and both are only
adapters. The script has commands, button presses, free text, the consent address and code (with a
mistyped address and code), correction details, a too-long text, a "which one did you mean"
question and a change of language.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bot.conftest import BotHarness, fake_matcher
from tests.bot.script import Press, Step, through_the_bot, through_the_chat

CODE = "482913"


SCRIPT: tuple[Step, ...] = (
    "/menu",
    Press(1),  # 🧾 Latest invoice: the PDF, captioned, with its buttons
    "/news",
    Press(3),  # Use another e-mail address: the next line is awaited
    "nav-e-pasts",  # not an address: refused, still awaited
    "janis.jaunumi@example.lv",
    "123",  # not a code: refused, still awaited
    CODE,
    "/request",
    Press(2),  # Correct my data: filed, and what to correct is awaited
    "Mans uzvārds ir Bērziņš, nevis Berzins",
    "x" * 4001,
    "kā pieslēgties",
    "parole",
    Press(2),  # the second candidate
    "/news",
    Press(1),  # Stop news e-mails
    "/language",
    Press(3),  # English
    "/help",
    "/nonsense",
)


async def test_the_bot_and_the_chat_say_the_same(
    harness: BotHarness,
    sqlite_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("helpdesk.handlers.consent.new_confirmation_code", lambda: CODE)
    by_bot = await through_the_bot(harness, SCRIPT)
    by_chat = await through_the_chat(
        harness, SCRIPT, fake_matcher(), sqlite_template, tmp_path, capsys, monkeypatch
    )

    assert len(by_chat) == len(by_bot) == len(SCRIPT)
    for step, bot_said, chat_said in zip(SCRIPT, by_bot, by_chat, strict=True):
        assert bot_said == chat_said, step
    # The script went where it was meant to (not merely equal: equal and right).
    texts = [shown[0][0] for shown in by_bot]
    assert by_bot[1][0][2] == ("INV-2025-12-R-1.pdf",)
    assert "j***@e***.lv" in texts[5]  # the code went to the new address
    assert "seši cipari" in texts[6]
    assert "j***@e***.lv" in texts[7]  # subscribed
    assert "#1" in texts[10]  # the details joined request #1
    assert "4000" in texts[11]
    assert "I do not know this command" in texts[-1]
