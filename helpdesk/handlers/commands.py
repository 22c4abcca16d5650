"""The commands a resident types ("/invoice"): one table for every channel that reads them.

The Telegram bot and ``helpdesk chat`` turn a command into its action here, so the same command
does the same thing on both; the "/" menu Telegram shows and the help text list the same table.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.core.types import Action


def N_(message: str) -> str:
    """Marks a text for the catalog where it is defined; it is translated where it is shown."""
    return message


@dataclass(frozen=True, slots=True)
class Command:
    name: str  # without the slash
    action: Action
    #: What the "/" menu and the help say it does (a catalog msgid); None: understood, not listed.
    description: str | None = None


COMMANDS: tuple[Command, ...] = (
    Command("invoice", Action.INVOICE, N_("Latest invoice")),
    Command("news", Action.CONSENT_STATUS, N_("News e-mails")),
    Command("request", Action.REQUEST_CONFIRM, N_("My data: a copy or a correction")),
    Command("language", Action.LANGUAGE, N_("Change the language")),
    Command("help", Action.HELP, N_("What I can do")),
    Command("menu", Action.MENU, N_("Main menu")),
    Command("unlink", Action.UNLINK, N_("Disconnect this Telegram account")),
    Command("start", Action.START),
    Command("invoices", Action.INVOICE_LIST),
    Command("correction", Action.CORRECTION_REQUEST),
    Command("human", Action.HUMAN),
)
LISTED: tuple[Command, ...] = tuple(command for command in COMMANDS if command.description)
_BY_NAME = {command.name: command for command in COMMANDS}
_LONGEST_NAME = 32  # Telegram's limit for a command; anything longer is nobody's command


def parse(text: str) -> tuple[Action, dict[str, str]] | None:
    """The action a typed command stands for, with its arguments; None when ``text`` is no command.

    ``/start <token>`` is the portal's deep link (Telegram sends the token as the start parameter);
    ``/invoice@SomeBot`` is the same command addressed to a bot by name. A command no table knows is
    :attr:`Action.UNKNOWN_COMMAND`: it is answered, never queued as a question.
    """
    if not text.startswith("/"):
        return None
    word, _, rest = text[1:].strip().partition(" ")
    name = word.split("@", 1)[0].lower()
    command = _BY_NAME.get(name)
    if command is None:
        return Action.UNKNOWN_COMMAND, {"command": name[:_LONGEST_NAME]}
    if command.action is Action.START and rest.strip():
        return Action.LINK_REDEEM, {"token": rest.strip()}
    return command.action, {}
