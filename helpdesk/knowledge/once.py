"""What the matcher works out once per message: a sentence of a mail is read alone and in each run
of two or three sentences around it, and each piece is searched in two or three indexes, so a
reading of a sentence, a clause or a piece that depends on its own text alone comes up again and
again within one message.

Remembered only until :func:`forget` (the matcher calls it before each message, through
:func:`helpdesk.knowledge.text.forget`): what is remembered of a message is used for that message
alone, and a message costs what it costs, whatever came before it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

_T = TypeVar("_T")
KEPT = 1024  # texts remembered per function: a long mail's pieces and clauses, with room to spare
_REMEMBERED: list[dict[str, Any]] = []


def per_message(function: Callable[[str], _T]) -> Callable[[str], _T]:
    """``function`` of one text, remembered until :func:`forget`. Only for a function whose result
    depends on the text alone and is never changed by whoever reads it."""
    known: dict[str, _T] = {}
    _REMEMBERED.append(known)

    @wraps(function)
    def read(text: str) -> _T:
        if text in known:
            return known[text]
        if len(known) >= KEPT:
            known.clear()
        found = known[text] = function(text)
        return found

    return read


def forget() -> None:
    """Drop what every :func:`per_message` function remembers."""
    for known in _REMEMBERED:
        known.clear()
