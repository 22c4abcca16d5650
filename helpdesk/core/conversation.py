"""The conversation's state: what the resident's next typed line means, the same on every channel.

A reply may wait for a typed answer (:class:`~helpdesk.core.types.Awaiting`: an address for news,
the code mailed to it, what to correct in a request) and offers choices (its buttons). Both are kept
with the conversation, so any bot instance, the terminal chat and a later message all read the next
line the same way, and a pressed button or a typed number is resolved here, server-side, to its
action and arguments: nothing secret or long travels in a button (Telegram's 64-byte callback data
goes through Telegram's servers). Storage keeps :meth:`ConversationState.to_json` on the
conversation row; the language has its own column there.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from helpdesk.core.types import Action, Awaiting, Button, ChoiceRef

#: The intent of the reply to a choice that is no longer offered (an old button, a mistyped number).
STALE_CHOICE = "choice.stale"


@dataclass(frozen=True, slots=True)
class Choice:
    """One offered button: what pressing it does."""

    action: Action
    args: tuple[tuple[str, str], ...] = ()

    @property
    def arguments(self) -> dict[str, str]:
        return dict(self.args)


def offered(rows: Iterable[Iterable[Button]]) -> tuple[Choice, ...]:
    """The choices a reply's buttons offer, numbered from 1 in the order they are shown."""
    return tuple(Choice(b.action, tuple(sorted(b.args.items()))) for row in rows for b in row)


def offer_id(choices: tuple[Choice, ...]) -> str:
    """A short name for a set of choices, made from what they do: a button drawn from an older
    keyboard resolves only while the same choices are offered (then it means the same thing)."""
    canonical = json.dumps([[c.action.value, c.args] for c in choices], separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:8]


@dataclass(frozen=True, slots=True)
class ConversationState:
    """Awaiting what (for which request), the choices last offered, and the conversation's language."""

    awaiting: Awaiting | None = None
    request_id: int | None = None
    choices: tuple[Choice, ...] = ()
    language: str | None = None

    @property
    def offer(self) -> str:
        return offer_id(self.choices)

    def chosen(self, ref: ChoiceRef) -> Choice | None:
        """The choice ``ref`` names, or None when it is not (or no longer) offered."""
        if ref.offer is not None and ref.offer != self.offer:
            return None
        if 1 <= ref.number <= len(self.choices):
            return self.choices[ref.number - 1]
        return None

    def to_json(self) -> dict[str, Any] | None:
        """The stored form (the language is stored apart); None when there is nothing to keep."""
        if self.awaiting is None and not self.choices:
            return None
        stored: dict[str, Any] = {"choices": [[c.action.value, dict(c.args)] for c in self.choices]}
        if self.awaiting is not None:
            stored["awaiting"] = self.awaiting.value
            if self.request_id is not None:
                stored["request"] = self.request_id
        return stored

    @classmethod
    def from_json(cls, stored: Any, language: str | None = None) -> ConversationState:
        """Read back what :meth:`to_json` wrote. Whatever is not understood (a value written by a
        newer or older version) is dropped: at worst an old button says it is no longer valid."""
        if not isinstance(stored, Mapping):
            return cls(language=language)
        choices: list[Choice] = []
        for entry in stored.get("choices") or ():
            try:
                action, args = Action(entry[0]), entry[1]
            except (ValueError, TypeError, IndexError, KeyError):
                return cls(language=language)  # the numbering would be off: offer nothing
            if not isinstance(args, Mapping):
                return cls(language=language)
            choices.append(Choice(action, tuple(sorted((str(k), str(v)) for k, v in args.items()))))
        try:
            awaiting = Awaiting(stored["awaiting"]) if "awaiting" in stored else None
        except ValueError:
            awaiting = None
        request = stored.get("request")
        return cls(
            awaiting=awaiting,
            request_id=request if awaiting is not None and isinstance(request, int) else None,
            choices=tuple(choices),
            language=language,
        )
