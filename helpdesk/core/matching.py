"""The narrow interface between the handlers and the knowledge matcher.

Handlers only see :class:`IntentMatcher`; the implementation lives in ``helpdesk.knowledge``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol, TypeGuard, runtime_checkable

from helpdesk.core.types import Action


class Decision(StrEnum):
    ANSWER = "answer"  # sure enough: answer with the entry (or run the action)
    CLARIFY = "clarify"  # top candidates too close: ask which one was meant
    ESCALATE = "escalate"  # not sure: a person answers


class MessageKind(StrEnum):
    """What a whole message is, before any part of it is matched."""

    QUESTION = "question"  # one or more questions or requests: see the reading's parts
    CLOSING = "closing"  # only thanks and/or goodbye ("paldies, uz redzēšanos"): nothing to answer
    SMALLTALK = "smalltalk"  # weather, football, "are you a bot?": not the helpdesk's business
    GREETING = "greeting"  # only a greeting ("Labdien!", "Здравствуйте"): the question is still to come


# Action entries whose id is not an Action value: the handlers run the mapped action.
ACTION_ALIASES: Mapping[str, Action] = MappingProxyType({"action:invoice-list": Action.INVOICE_LIST})


def action_for(entry: str) -> Action | None:
    """The :class:`Action` an ``action:*`` entry id stands for (None for an answer entry or an
    unknown action)."""
    alias = ACTION_ALIASES.get(entry)
    if alias is not None:
        return alias
    try:
        return Action(entry)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Candidate:
    entry: str
    score: float


@dataclass(frozen=True, slots=True)
class Match:
    """``entry`` is a KB id (e.g. ``login-eid``) or an action id (e.g. ``action:invoice``)."""

    entry: str | None
    score: float
    decision: Decision
    language: str
    candidates: tuple[Candidate, ...] = ()


@dataclass(frozen=True, slots=True)
class Part:
    """One question or request of a message, and what the matcher decided about it.

    ``start``/``end`` index the original text (``text[start:end]`` is the part as the resident
    wrote it, e.g. to quote it back: "a person will answer '…'"). ``entry`` is set only when
    ``decision`` is ``answer``; for ``clarify`` the choices are in ``candidates``."""

    text: str
    start: int
    end: int
    decision: Decision
    entry: str | None
    score: float
    candidates: tuple[Candidate, ...] = ()
    #: About another company's news or records ("unsubscribe me from Rimi's newsletter"): we can act
    #: only on ours, so the reply says so before it offers ours (``candidates``) in case ours were meant.
    elsewhere: bool = False


@dataclass(frozen=True, slots=True)
class Reading:
    """A whole message read the way a person reads it.

    ``kind`` says whether there is anything to answer at all; for ``QUESTION`` the ``parts`` hold
    the questions/requests in the order written, each answered, clarified or escalated on its own:
    at most three answered or clarified, entries never repeat, and whatever the matcher could not
    place (or found past the third answer) escalates, one part per run of such sentences. For
    ``CLOSING`` and ``SMALLTALK`` ``parts`` is empty. ``language`` is the language of the question's
    own words (not a greeting, name, address or signature): reply in it."""

    language: str
    kind: MessageKind
    parts: tuple[Part, ...] = ()

    @property
    def main(self) -> Match:
        """The main question as a :class:`Match` (what ``match()`` returns): the first answered
        part, else the first clarified one, else the first part; an escalation when there is none."""
        for wanted in (Decision.ANSWER, Decision.CLARIFY, None):
            for part in self.parts:
                if wanted is None or part.decision is wanted:
                    return Match(part.entry, part.score, part.decision, self.language, part.candidates)
        return Match(None, 0.0, Decision.ESCALATE, self.language)

    @property
    def answered(self) -> tuple[Part, ...]:
        return tuple(part for part in self.parts if part.decision is Decision.ANSWER)


@dataclass(frozen=True, slots=True)
class Answer:
    entry: str
    language: str
    title: str
    body: str


class IntentMatcher(Protocol):
    """What every matcher offers (test and benchmark stand-ins too): one question a message."""

    def match(self, text: str, language: str | None = None) -> Match:
        """The main question of ``text``; for a matcher that reads whole messages this is
        ``read(text, language).main``."""
        ...

    def answer(self, entry: str, language: str) -> Answer | None: ...

    def detect_language(self, text: str, default: str) -> str: ...


@runtime_checkable
class MessageReader(IntentMatcher, Protocol):
    """A matcher that reads whole messages (``helpdesk.knowledge.KnowledgeMatcher``). Handlers
    call :func:`read_message`, which also accepts a plain :class:`IntentMatcher`."""

    def read(self, text: str, language: str | None = None) -> Reading:
        """Read one whole message from any channel (a chat line, an e-mail body, a console note).

        ``language`` is the conversation's language, a hint only: a message whose own words are
        clearly another language gets that language (a Russian question in a Latvian chat is
        Russian). The reading strips greetings, thanks, closings, signatures and quoted earlier
        mail (Outlook-style "No:/Nosūtīts:", "От:/Отправлено:", "On … wrote:", "> " lines) and
        splits what is left into up to three parts.

        How a handler is meant to use it:

        - ``kind is CLOSING``: reply briefly ("you're welcome"); queue nothing, join no open item.
        - ``kind is SMALLTALK``: in chat, say what the helpdesk can help with and offer "Ask a
          person" (only that tap queues an item); by e-mail, hand it to a person as today.
        - ``kind is QUESTION``: one reply that answers every ``answered`` part (an ``action:*``
          entry runs its action: :func:`action_for` maps the id to an :class:`Action`; a
          state-changing action is only answered on a clear lead, and only as the message's first
          answer, otherwise it comes as ``clarify``), asks about a ``clarify`` part with its
          ``candidates`` as buttons, and hands every ``escalate`` part to a person in one queue
          item, saying which part (``text``) a person will answer. ``text[start:end]`` of each
          part is the resident's own words.
        """
        ...


_READERS: dict[type, bool] = {}


def reads_whole(matcher: IntentMatcher) -> TypeGuard[MessageReader]:
    """Whether ``matcher`` is a :class:`MessageReader`, asked once per class: a runtime protocol
    check looks up every member of the protocol on each call (15 µs, twice a message)."""
    kind = type(matcher)
    found = _READERS.get(kind)
    if found is None:
        found = _READERS[kind] = isinstance(matcher, MessageReader)
    return found


def read_message(matcher: IntentMatcher, text: str, language: str | None = None) -> Reading:
    """``matcher.read`` when it reads whole messages, else its one ``match`` as a one-part
    question (so a stand-in matcher keeps working)."""
    if reads_whole(matcher):
        return matcher.read(text, language)
    match = matcher.match(text, language)
    stripped = text.strip()
    start = text.find(stripped) if stripped else 0
    part = Part(
        stripped, start, start + len(stripped), match.decision, match.entry, match.score, match.candidates
    )
    return Reading(match.language, MessageKind.QUESTION, (part,))
