"""A stored message as an agent reads it: a pressed button by its name, never an internal code.

The dispatcher stores a button or a command the resident used as its action code and arguments
(``[invoice.period {'period': '2026-09'}]``, with the code as the message's intent), then any text
they typed. The item page shows that as "Pressed: Invoice for a period · 2026-09" in the agent's
language, and the typed text as it is.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from helpdesk.storage.models.conversations import Message

_PRESSED = re.compile(r"\[(?P<action>[a-z][a-z0-9:._-]{0,63})(?: (?P<args>\{.*\}))?\]")
# The arguments worth showing, and how: a period as it is, a language or a request kind by its
# name, a request by its number. Anything else (a token, a code) is never stored or shown.
_SHOWN_ARGS = ("period", "lang", "kind", "entry", "email", "request")

Label = Callable[[str, str | None], str]


@dataclass(frozen=True, slots=True)
class Shown:
    pressed: str  # the button's name in the agent's language, or ""
    detail: str  # what the button carried (a period, a language), or ""
    text: str  # what the resident typed, or the message's whole text


def _arguments(raw: str | None) -> dict[str, str]:
    if not raw:
        return {}
    try:
        value = ast.literal_eval(raw)  # a literal only: the dispatcher wrote str(dict)
    except (ValueError, SyntaxError):
        return {}
    if not isinstance(value, dict):
        return {}
    return {str(key): str(item) for key, item in value.items() if isinstance(item, str | int)}


def _detail(arguments: dict[str, str], label: Label) -> str:
    parts = []
    for key in _SHOWN_ARGS:
        value = arguments.get(key)
        if not value:
            continue
        if key == "lang":
            value = label("language", value)
        elif key == "kind":
            value = label("kind", value)
        elif key == "request":
            value = f"#{value}"
        parts.append(value)
    return " · ".join(parts)


def shown(message: Message, label: Label) -> Shown:
    """The message for the page: a resident's button press (its intent is the action it carried)
    by the button's name and what it carried, then the text typed with it."""
    if message.direction != "in" or not message.intent:
        return Shown("", "", message.text)
    first, _newline, rest = message.text.partition("\n")
    found = _PRESSED.fullmatch(first)
    if found is None or found["action"] != message.intent:
        return Shown("", "", message.text)
    return Shown(
        pressed=label("button", found["action"]),
        detail=_detail(_arguments(found["args"]), label),
        text=rest,
    )
