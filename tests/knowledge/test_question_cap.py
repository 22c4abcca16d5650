"""A mail that asks more than three things: the reply answers three and hands every other question
to a person; none is dropped (issue 14: "hands the rest to a person in the same queue item"). Every
message here was written for these tests, not taken from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Decision
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.parts import MAX_PARTS

FOUR_KNOWN = (
    "Hello, how do I pay the invoice online? Why was I charged a late fee? What is the deadline for "
    "meter readings? How do I log in with my bank? Thanks, John"
)
THREE_AND_ONE = (
    "Labdien! Kā es varu samaksāt rēķinu internetā? Kāpēc man aprēķināja kavējuma naudu? Līdz kuram "
    "datumam jānodod skaitītāju rādījumi? Un vai pagalmā drīkst novietot treileri? Paldies, Jānis"
)


@pytest.mark.parametrize(
    ("text", "fourth"),
    [
        (FOUR_KNOWN, "How do I log in with my bank?"),
        (THREE_AND_ONE, "Un vai pagalmā drīkst novietot treileri?"),
    ],
)
def test_a_fourth_question_goes_to_a_person(matcher: KnowledgeMatcher, text: str, fourth: str) -> None:
    parts = matcher.read(text).parts
    answered = [p for p in parts if p.decision is Decision.ANSWER]
    assert [p.entry for p in answered] == ["pay-online", "late-fee", "meter-readings-deadline"]
    assert len(answered) == MAX_PARTS
    assert [(p.decision, p.text) for p in parts[MAX_PARTS:]] == [(Decision.ESCALATE, fourth)]


def test_two_questions_take_two_parts_and_nothing_more(matcher: KnowledgeMatcher) -> None:
    text = "Hello, how do I pay the invoice online? Why was I charged a late fee? Thanks, John"
    parts = matcher.read(text).parts
    assert [(p.decision, p.entry) for p in parts] == [
        (Decision.ANSWER, "pay-online"),
        (Decision.ANSWER, "late-fee"),
    ]
