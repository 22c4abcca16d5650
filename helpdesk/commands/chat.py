"""``helpdesk chat``: the resident's side of a conversation in the terminal, through the same
handlers as Telegram and e-mail, so a person can try the helpdesk with no Telegram at all.

Buttons are shown numbered; typing the number presses it. Documents are shown as the absolute path
of the PDF that would be sent. The conversation opens with the menu, and the bot's commands
(``/menu``, ``/invoice``, ``/news``...) work as in Telegram, so nobody has to guess a first step;
a mistyped number or command is answered here and never sent to the queue as a question.

When a reply waits for a typed answer (``Reply.extra["awaiting"]``, as the Telegram bot collects
it: a correction's details, an address for news, the code mailed to it), the next typed line goes
back as that answer; a refusal (a mistyped address or code) keeps waiting; a number (a button) or a
command ends the wait. A consent offer also gets "Use another e-mail address", as in Telegram. The
code is e-mailed through the outbox; on the demo database, where no mail leaves, the chat prints it.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from dataclasses import replace
from typing import Any, NamedTuple


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
    from helpdesk.commands.common import cli_settings, quiet_logging

    quiet_logging()
    settings = cli_settings()
    return asyncio.run(_chat(settings, args.resident, args.lang))


# The Telegram bot's commands, as the actions they stand for (values of helpdesk.core.types.Action).
COMMANDS = {
    "/menu": "menu",
    "/start": "menu",
    "/help": "help",
    "/invoice": "action:invoice",
    "/invoices": "invoice.list",
    "/news": "consent.status",
    "/request": "action:access-request",
    "/correction": "action:correction-request",
    "/human": "action:human",
    "/language": "language",
    "/unlink": "unlink",
}


class Awaited(NamedTuple):
    """How a typed answer goes back (values of helpdesk.core.types.Action)."""

    action: str
    answer: str | None = None  # the argument the typed line fills; None: it is the inquiry's text
    carried: tuple[tuple[str, str], ...] = ()  # (argument, Reply.extra key) that ride along


# What a reply may wait for (the bot's FSM states, helpdesk.bot.states.AWAITING_STATES).
AWAITED_ACTIONS = {
    "correction_details": Awaited("correction.details", carried=(("request", "request_id"),)),
    "consent_email": Awaited("action:consent-give", answer="email"),
    "consent_code": Awaited("consent.give.confirm", answer="code"),
}


class _NewAddress(NamedTuple):
    """The bot's own "Use another e-mail address" under a consent offer: starts a consent_email wait."""

    label: str


HINT = "(chat) commands: " + " ".join(sorted(COMMANDS)) + " /quit"


def _answer(base: Any, awaited: dict[str, str], text: str) -> Any:
    """The inquiry a typed line makes while a reply waits for it."""
    from helpdesk.core.types import Action

    how = AWAITED_ACTIONS[awaited["awaiting"]]
    args = {argument: awaited.get(key, "") for argument, key in how.carried}
    if how.answer is None:
        return replace(base, action=Action(how.action), args=args, text=text)
    return replace(base, action=Action(how.action), args={**args, how.answer: text})


def _render(reply: Any, bot_texts: Any) -> list[Any]:
    """Print a reply; return its buttons in the order they were numbered."""
    from helpdesk.core.types import Action

    print(f"bot> {reply.text.replace(chr(10), chr(10) + '     ')}")
    for document in reply.documents:
        print(f"     [PDF] {document.path}")
    pressed: list[Any] = []
    rows = [list(row) for row in reply.buttons]
    if any(b.action is Action.CONSENT_GIVE and not b.args for row in rows for b in row):
        rows.append([_NewAddress(bot_texts.gettext("Use another e-mail address"))])  # as the bot's keyboard
    for row in rows:
        for button in row:
            pressed.append(button)
            print(f"     [{len(pressed)}] {button.label}")
    sys.stdout.flush()
    return pressed


async def _where_the_code_went(settings: Any, services: Any, resident_id: str | None) -> None:
    """The code went to the outbox as an e-mail. On the demo database nothing sends it: show it."""
    from sqlalchemy import select

    from helpdesk.commands.common import DEMO_DIR
    from helpdesk.storage.models import ConfirmationCode, OutboxMessage

    if settings.database_url != f"sqlite+aiosqlite:///{DEMO_DIR / 'helpdesk.db'}":
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


async def _chat(settings: Any, resident_id: str | None, lang: str | None) -> int:
    from helpdesk.app import build_services
    from helpdesk.core.errors import InputError
    from helpdesk.core.types import Action, Channel, Inquiry, ReplyKind
    from helpdesk.handlers.dispatch import handle
    from helpdesk.i18n import translations
    from helpdesk.storage.repositories import residents

    services = build_services(settings)
    try:
        if resident_id is not None:
            async with services.sessions() as session:
                resident = await residents.get(session, resident_id)
            if resident is None:
                raise InputError(f"resident {resident_id} does not exist")
            lang = lang or resident.language
        language = lang or settings.default_language
        who = resident_id or "an unidentified visitor"
        print(f"Chatting as {who} in {language}. A number presses a button; /help; /quit leaves.")
        loop = asyncio.get_running_loop()
        text = "/menu"
        buttons: list[Any] = []
        awaited: dict[str, str] = {}  # the last reply's extra, while it waits for a typed answer
        while True:
            base = Inquiry(
                channel=Channel.CHAT,
                sender=f"chat:{resident_id or 'guest'}",
                language=language,
                resident_id=resident_id,
                message_id=f"chat:{uuid.uuid4()}",
            )
            command = text.split(maxsplit=1)[0].lower() if text.startswith("/") else ""
            answering = False  # the line is the answer a reply waited for
            if text.isdigit() and 1 <= int(text) <= len(buttons):
                button = buttons[int(text) - 1]
                if isinstance(button, _NewAddress):
                    prompt = (
                        "Please write the e-mail address for news. I will send a confirmation code to it."
                    )
                    print(f"bot> {translations('bot', language).gettext(prompt)}")
                    awaited, buttons, inquiry = {"awaiting": "consent_email"}, [], None
                else:
                    inquiry = replace(base, action=button.action, args=dict(button.args))
            elif command in COMMANDS:
                inquiry = replace(base, action=Action(COMMANDS[command]))
            elif command or (text.isdigit() and len(text) < 3):
                inquiry = None  # a typo, not a question for the queue
                awaited = {}  # a command, even a mistyped one, ends the wait
            elif awaited.get("awaiting") in AWAITED_ACTIONS:
                inquiry, answering = _answer(base, awaited, text), True
            else:
                inquiry = replace(base, text=text)
            if inquiry is None:
                if not awaited:  # (pressing "Use another e-mail address" printed its own prompt)
                    print(f"     (no button {text}) {HINT}" if text.isdigit() else f"     {HINT}")
            else:
                reply = await handle(inquiry, services)
                language = reply.extra.get("language", language)
                if not (answering and reply.kind is ReplyKind.REFUSAL and "awaiting" not in reply.extra):
                    awaited = dict(reply.extra)  # a refused answer (a mistyped code) keeps the wait
                buttons = _render(reply, translations("bot", language))
                if reply.extra.get("awaiting") == "consent_code":
                    await _where_the_code_went(settings, services, resident_id)
                if command == "/help":
                    print(f"     {HINT}")
            print("you> ", end="", flush=True)
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                print()
                return 0
            text = line.strip()
            if text in ("/quit", "/exit"):
                return 0
    finally:
        await services.aclose()
