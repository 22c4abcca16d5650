"""One script of inputs, two channels: the Telegram bot (real webhook, fake Bot API) and
``helpdesk chat`` (its real loop, reading stdin, printing replies) give the same texts and the same
buttons, labels and order, because the conversation lives in the handlers and both are only
adapters. The script has commands, button presses, free text, the consent address and code (with a
mistyped address and code), correction details, a too-long text, a "which one did you mean"
question and a change of language.
"""

from __future__ import annotations

import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpdesk.app import build_services
from helpdesk.commands.chat import converse
from helpdesk.services import Services
from tests.bot.conftest import LINKED_USER, NOW, BotHarness, fake_matcher, seed
from tests.bot.fake_api import Call, callback, message

CODE = "482913"


@dataclass(frozen=True)
class Press:
    """The ``number``-th button (from 1, as the chat numbers them) of the last reply."""

    number: int


SCRIPT: tuple[str | Press, ...] = (
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

Shown = tuple[str, tuple[str, ...], tuple[str, ...]]  # text, button labels in order, document names


def _shown_by_bot(call: Call) -> Shown:
    labels = tuple(button["text"] for button in call.buttons())
    documents = tuple(filename for filename, _content in call.files.values())
    return call.text, labels, documents


async def _through_the_bot(harness: BotHarness) -> list[list[Shown]]:
    shown: list[list[Shown]] = []
    keyboard: list[str] = []
    for step in SCRIPT:
        before = len(harness.fake.calls)
        if isinstance(step, Press):
            await harness.send(callback(LINKED_USER, keyboard[step.number - 1]))
        else:
            await harness.send(message(LINKED_USER, step))
        sent = [
            call
            for call in harness.fake.calls[before:]
            if call.method in ("sendMessage", "sendDocument", "editMessageText")
        ]
        assert sent, step
        keyboard = [button["callback_data"] for button in sent[-1].buttons()] or keyboard
        shown.append([_shown_by_bot(call) for call in sent])
    return shown


def _parse_chat(out: str) -> list[list[Shown]]:
    """The chat's replies, one a line typed; the chat's own notes ("(chat) ...") are not replies."""
    replies: list[Shown] = []
    for block in out.replace("you> ", "\n").split("\nbot> ")[1:]:
        text_lines: list[str] = []
        labels: list[str] = []
        documents: list[str] = []
        for number, line in enumerate(block.rstrip("\n").split("\n")):
            body = line if number == 0 else line.removeprefix("     ")
            if number and body.startswith("[PDF] "):
                documents.append(Path(body.removeprefix("[PDF] ")).name)
            elif number and body.startswith(f"[{len(labels) + 1}] "):
                labels.append(body.split("] ", 1)[1])
            elif number and (body.startswith(("(chat)", "(demo)", "|")) or not line.startswith("     ")):
                continue
            else:
                text_lines.append(body)
        replies.append(("\n".join(text_lines), tuple(labels), tuple(documents)))
    return [[reply] for reply in replies]


async def _through_the_chat(
    services: Services, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> list[list[Shown]]:
    assert SCRIPT[0] == "/menu"  # the chat opens with the menu by itself
    lines = [str(step.number) if isinstance(step, Press) else step for step in SCRIPT[1:]]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join([*lines, "/quit"]) + "\n"))
    capsys.readouterr()
    assert await converse(services, "R-1", "lv") == 0
    return _parse_chat(capsys.readouterr().out)


async def test_the_bot_and_the_chat_say_the_same(
    harness: BotHarness,
    sqlite_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("helpdesk.handlers.consent.new_confirmation_code", lambda: CODE)
    by_bot = await _through_the_bot(harness)

    # The chat as the same resident on a database of its own, seeded the same, at the same time.
    shutil.copyfile(sqlite_template, tmp_path / "chat.db")
    settings = harness.settings.replace(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}", invoice_dir=tmp_path / "chat-invoices"
    )
    chat_services = build_services(settings, matcher=fake_matcher())
    chat_services.clock = lambda: NOW
    try:
        await seed(chat_services)
        by_chat = await _through_the_chat(chat_services, capsys, monkeypatch)
    finally:
        await chat_services.aclose()

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
