"""``helpdesk chat``: the resident's side of a conversation in the terminal, through the same
handlers as Telegram and e-mail, so a person can try the helpdesk with no Telegram at all.

Buttons are shown numbered; typing the number presses it. Documents are shown as the absolute path
of the PDF that would be sent. The conversation opens with the menu, and the bot's commands
(``/menu``, ``/invoice``, ``/news``...) work as in Telegram, so nobody has to guess a first step;
a mistyped number or command is answered here and never sent to the queue as a question.

When a reply waits for a typed answer (``Reply.extra["awaiting"]``, as the Telegram bot collects
it), the next typed line goes back as that answer; a number (a button) or a command ends the wait.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid
from dataclasses import replace
from typing import Any


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
# What a reply may wait for, as the action the typed answer goes back with (the bot's FSM states).
AWAITED_ACTIONS = {"correction_details": "correction.details"}
HINT = "(chat) commands: " + " ".join(sorted(COMMANDS)) + " /quit"


def _render(reply: Any) -> list[Any]:
    """Print a reply; return its buttons in the order they were numbered."""
    print(f"bot> {reply.text.replace(chr(10), chr(10) + '     ')}")
    for document in reply.documents:
        print(f"     [PDF] {document.path}")
    pressed: list[Any] = []
    for row in reply.buttons:
        for button in row:
            pressed.append(button)
            print(f"     [{len(pressed)}] {button.label}")
    sys.stdout.flush()
    return pressed


async def _chat(settings: Any, resident_id: str | None, lang: str | None) -> int:
    from helpdesk.app import build_services
    from helpdesk.core.errors import InputError
    from helpdesk.core.types import Action, Channel, Inquiry
    from helpdesk.handlers.dispatch import handle
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
            if text.isdigit() and 1 <= int(text) <= len(buttons):
                button = buttons[int(text) - 1]
                inquiry = replace(base, action=button.action, args=dict(button.args))
            elif command in COMMANDS:
                inquiry = replace(base, action=Action(COMMANDS[command]))
            elif command or (text.isdigit() and len(text) < 3):
                inquiry = None  # a typo, not a question for the queue
                awaited = {}  # a command, even a mistyped one, ends the wait
            elif awaited.get("awaiting") in AWAITED_ACTIONS:
                inquiry = replace(
                    base,
                    action=Action(AWAITED_ACTIONS[awaited["awaiting"]]),
                    args={"request": awaited.get("request_id", "")},
                    text=text,
                )
            else:
                inquiry = replace(base, text=text)
            if inquiry is None:
                print(f"     (no button {text}) {HINT}" if text.isdigit() else f"     {HINT}")
            else:
                reply = await handle(inquiry, services)
                language = reply.extra.get("language", language)
                awaited = dict(reply.extra)
                buttons = _render(reply)
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
