"""The narrow interface between the handlers and the knowledge matcher.

Handlers only see :class:`IntentMatcher`; the implementation lives in ``helpdesk.knowledge``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Decision(StrEnum):
    ANSWER = "answer"  # sure enough: answer with the entry (or run the action)
    CLARIFY = "clarify"  # top candidates too close: ask which one was meant
    ESCALATE = "escalate"  # not sure: a person answers


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
class Answer:
    entry: str
    language: str
    title: str
    body: str


class IntentMatcher(Protocol):
    def match(self, text: str, language: str | None = None) -> Match: ...

    def answer(self, entry: str, language: str) -> Answer | None: ...

    def detect_language(self, text: str, default: str) -> str: ...
