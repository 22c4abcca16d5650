"""One script of inputs through two channels: the Telegram bot (real webhook, fake Bot API) and
``helpdesk chat`` (its real loop, reading stdin, printing replies). Each step's replies come back as
they were shown (text, button labels in order, document names), so a test can say that both said the
same and that it was right."""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpdesk.app import build_services
from helpdesk.commands.chat import converse
from helpdesk.core.matching import IntentMatcher
from helpdesk.services import Services
from tests.bot.conftest import LINKED_USER, NOW, BotHarness, seed
from tests.bot.fake_api import Call, callback, message


@dataclass(frozen=True)
class Press:
    """The ``number``-th button (from 1, as the chat numbers them) of the last reply."""

    number: int


Step = str | Press
Shown = tuple[str, tuple[str, ...], tuple[str, ...]]  # text, button labels in order, document names


def _shown_by_bot(call: Call) -> Shown:
    labels = tuple(button["text"] for button in call.buttons())
    documents = tuple(filename for filename, _content in call.files.values())
    return call.text, labels, documents


async def through_the_bot(harness: BotHarness, script: Sequence[Step]) -> list[list[Shown]]:
    """Each step sent by the linked user; what the bot sent back for it."""
    shown: list[list[Shown]] = []
    keyboard: list[str] = []
    for step in script:
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


async def through_the_chat(
    harness: BotHarness,
    script: Sequence[Step],
    matcher: IntentMatcher,
    sqlite_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> list[list[Shown]]:
    """The same script typed into ``helpdesk chat`` as the same resident (R-1), on a database of its
    own seeded the same, at the same time; the chat opens with the menu by itself (``/menu``)."""
    assert script[0] == "/menu"
    shutil.copyfile(sqlite_template, tmp_path / "chat.db")
    settings = harness.settings.replace(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}", invoice_dir=tmp_path / "chat-invoices"
    )
    services: Services = build_services(settings, matcher=matcher)
    services.clock = lambda: NOW
    try:
        await seed(services)
        lines = [str(step.number) if isinstance(step, Press) else step for step in script[1:]]
        monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join([*lines, "/quit"]) + "\n"))
        capsys.readouterr()
        assert await converse(services, "R-1", "lv") == 0
        return _parse_chat(capsys.readouterr().out)
    finally:
        await services.aclose()
