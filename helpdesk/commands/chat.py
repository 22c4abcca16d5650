"""``helpdesk chat``: the resident's side of a conversation in the terminal, through the same
handlers as Telegram and e-mail, so a person can try the helpdesk with no Telegram at all.

A thin terminal adapter, as Errbot's text backend is: it renders a reply and collects input, and
re-implements no rule. A reply's buttons are shown numbered; typing a number presses that button
(the handlers look the choice up in the conversation state, as they do for a Telegram button). A
command ("/news") is the action the handlers' command table says, as in Telegram. Anything else typed
is a message: whether it answers what the last reply asked (an address, a code, what to correct) or
is a question is the handlers' business. Documents are shown as the path of the PDF that would be
sent. The conversation opens with the menu. The code for news consent is e-mailed through the outbox;
on the demo database, where no mail leaves, the chat prints that e-mail.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "chat",
        help="talk to the helpdesk in the terminal",
        description="A terminal conversation through the same handlers as Telegram and e-mail. "
        "Type a message; a number presses the button with that number; /help lists the commands; "
        "/quit (or Ctrl-D) leaves.",
    )
    parser.add_argument("--resident", metavar="ID", help="act as this (identified) resident")
    parser.add_argument("--lang", choices=("lv", "ru", "en"), help="language (default: the resident's)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings, quiet_logging

    quiet_logging()
    settings = database_settings()
    return asyncio.run(_chat(settings, args.resident, args.lang))


# A number this short is a button; a longer one (a code from an e-mail) is typed text.
_MOST_BUTTON_DIGITS = 2


def _hint() -> str:
    from helpdesk.handlers.commands import COMMANDS

    return "(chat) commands: " + " ".join(sorted(f"/{c.name}" for c in COMMANDS)) + " /quit"


def _inquiry(text: str, base: Any) -> Any:
    """What a typed line is: a button (a short number), a command, or a message."""
    from dataclasses import replace

    from helpdesk.core.types import ChoiceRef
    from helpdesk.handlers.commands import parse

    if text.isdigit() and len(text) <= _MOST_BUTTON_DIGITS:
        return replace(base, choice=ChoiceRef(int(text)))
    command = parse(text)
    if command is not None:
        action, args = command
        return replace(base, action=action, args=args)
    return replace(base, text=text)


def render(reply: Any) -> str:
    """A reply as the terminal shows it: the text, the PDFs' paths, the buttons numbered in order."""
    lines = [f"bot> {reply.text.replace(chr(10), chr(10) + '     ')}"]
    lines += [f"     [PDF] {document.path}" for document in reply.documents]
    labels = [button.label for row in reply.buttons for button in row]
    lines += [f"     [{number}] {label}" for number, label in enumerate(labels, start=1)]
    return "\n".join(lines)


async def _where_the_code_went(services: Any, resident_id: str | None) -> None:
    """The code went to the outbox as an e-mail. On the demo database nothing sends it: show it."""
    from sqlalchemy import select

    from helpdesk.commands.common import DEMO_DIR
    from helpdesk.storage.models import ConfirmationCode, OutboxMessage

    if services.storage.database_url != f"sqlite+aiosqlite:///{DEMO_DIR / 'helpdesk.db'}":
        print("     (chat) the code waits in the outbox as an e-mail to it; `helpdesk mailbox` sends it")
        return
    async with services.sessions() as session:
        newest = select(ConfirmationCode.id).where(ConfirmationCode.resident_id == resident_id)
        code_id = (await session.execute(newest.order_by(ConfirmationCode.id.desc()).limit(1))).scalar()
        mail = await session.scalar(
            select(OutboxMessage).where(OutboxMessage.dedupe_key == f"consent-code:{code_id}")
        )
    if mail is None:
        return
    body = mail.body_text.replace("\n", "\n     | ")
    print(f"     (demo) no mail leaves the demo; the e-mail queued in the outbox (#{mail.id}) reads:")
    print(f"     | {mail.subject}\n     |\n     | {body}")


async def _chat(settings: Settings, resident_id: str | None, lang: str | None) -> int:
    from helpdesk.app import build_services
    from helpdesk.core.errors import InputError
    from helpdesk.storage.repositories import residents

    services = build_services(settings)
    try:
        if resident_id is not None:
            async with services.sessions() as session:
                resident = await residents.get(session, resident_id)
            if resident is None:
                raise InputError(f"resident {resident_id} does not exist")
            lang = lang or resident.language
        return await converse(services, resident_id, lang or settings.conversation.default_language)
    finally:
        await services.aclose()


async def converse(services: Any, resident_id: str | None, language: str) -> int:
    """Read lines from stdin until /quit or its end; each goes to the handlers, each reply is shown."""
    from helpdesk.core.conversation import STALE_CHOICE
    from helpdesk.core.types import Action, Awaiting, Channel, Inquiry
    from helpdesk.handlers.dispatch import handle

    who = resident_id or "an unidentified visitor"
    print(f"Chatting as {who} in {language}. A number presses a button; /help; /quit leaves.")
    loop = asyncio.get_running_loop()
    text = "/menu"
    while True:
        base = Inquiry(
            channel=Channel.CHAT,
            sender=f"chat:{resident_id or 'guest'}",
            language=language,
            resident_id=resident_id,
            message_id=f"chat:{uuid.uuid4()}",
        )
        reply = await handle(_inquiry(text, base), services)
        # A language chosen from now on; a reply in the language of one question's words is no choice.
        language = reply.extra.get("language", language)
        print(render(reply))
        if reply.awaiting is Awaiting.NEWS_CODE:
            await _where_the_code_went(services, resident_id)
        if reply.intent in (Action.HELP, Action.UNKNOWN_COMMAND, STALE_CHOICE):
            print(f"     {_hint()}")
        print("you> ", end="", flush=True)
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            print()
            return 0
        text = line.strip()
        if text in ("/quit", "/exit"):
            return 0
