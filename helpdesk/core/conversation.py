"""The conversation's state: what the resident's next typed line means, the same on every channel.

A reply may wait for a typed answer (:class:`~helpdesk.core.types.Awaiting`: an address for news,
the code mailed to it, what to correct in a request) and offers choices (its buttons). Both are kept
with the conversation, so any bot instance, the terminal chat and a later message all read the next
line the same way, and a pressed button or a typed number is resolved here, server-side, to its
action and arguments: nothing secret or long travels in a button (Telegram's 64-byte callback data
goes through Telegram's servers). Storage keeps :meth:`ConversationState.to_json` on the
conversation row; the language has its own column there.

More carries over from one reply to the next line: whether "Ask a person" with nothing typed has
a question to pass on (the last reply was the machine's answer to a typed message), the language
the last reply was written in when the resident's own words chose it (a Russian question in a
Latvian chat is answered in Russian, and so are the buttons of that answer), and the queue item the
last reply handed to a person, which the rest of what the resident types about it joins.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
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
    """Awaiting what (for which request), the choices last offered, and the conversation's language.

    ``pass_on``: the last reply answered the resident's typed message by machine (a knowledge-base
    answer, a "which one did you mean" question, the small-talk reply), so "Ask a person" with
    nothing typed passes that message on; otherwise it asks what to pass on. ``reply_language``: the
    language of the last reply when it is not the conversation's (the question's own words chose
    it): a button of that reply, or the line it waits for, is answered in it too. ``follows``: the
    queue item the last reply handed to a person; until ``follows_until`` another message a person
    must answer is taken for more of the same (a question typed in two or three messages).
    """

    awaiting: Awaiting | None = None
    request_id: int | None = None
    choices: tuple[Choice, ...] = ()
    language: str | None = None
    pass_on: bool = False
    reply_language: str | None = None
    follows: int | None = None
    follows_until: datetime | None = None

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

    def offers(self, action: Action, args: Mapping[str, str]) -> bool:
        """Whether a button of the last reply does ``action`` with ``args`` (a channel may send a
        plain button as its action, not as a choice: Telegram's buttons that work from any message)."""
        return any(
            choice.action is action and all(args.get(key) == value for key, value in choice.args)
            for choice in self.choices
        )

    def to_json(self) -> dict[str, Any] | None:
        """The stored form (the language is stored apart); None when there is nothing to keep."""
        if (
            self.awaiting is None
            and not self.choices
            and not self.pass_on
            and self.reply_language is None
            and self.follows is None
        ):
            return None
        stored: dict[str, Any] = {"choices": [[c.action.value, dict(c.args)] for c in self.choices]}
        if self.awaiting is not None:
            stored["awaiting"] = self.awaiting.value
            if self.request_id is not None:
                stored["request"] = self.request_id
        if self.pass_on:
            stored["pass_on"] = True
        if self.reply_language is not None:
            stored["reply_language"] = self.reply_language
        if self.follows is not None and self.follows_until is not None:
            stored["follows"] = [self.follows, self.follows_until.isoformat()]
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
        reply_language = stored.get("reply_language")
        follows, follows_until = _follows(stored.get("follows"))
        return cls(
            awaiting=awaiting,
            request_id=request if awaiting is not None and isinstance(request, int) else None,
            choices=tuple(choices),
            language=language,
            pass_on=stored.get("pass_on") is True,
            reply_language=reply_language if isinstance(reply_language, str) else None,
            follows=follows,
            follows_until=follows_until,
        )


def _follows(stored: Any) -> tuple[int | None, datetime | None]:
    """``[item id, until (ISO 8601)]`` as :meth:`ConversationState.to_json` wrote it, else nothing."""
    if not isinstance(stored, list) or len(stored) != 2 or not isinstance(stored[0], int):
        return None, None
    try:
        until = datetime.fromisoformat(str(stored[1]))
    except ValueError:
        return None, None
    return (stored[0], until) if until.tzinfo is not None else (None, None)
