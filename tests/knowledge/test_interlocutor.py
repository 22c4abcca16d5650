"""A question about who answers ("are you a robot?") is small talk; a wish for a person beside it, or
a demand for one, still answers the person action (helpdesk/knowledge/interlocutor.py)."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Decision, MessageKind
from helpdesk.knowledge.interlocutor import asks_who_answers
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import parse

HUMAN = "action:human"


@pytest.mark.parametrize(
    "text",
    [
        "vai tu esi robots vai dzīvs cilvēks? 😄",
        "vai jus esat cilveks?",
        "Vai es sarakstos ar robotu?",
        "ar ko es runāju, ar cilvēku?",
        "ты бот?",
        "Вы живой человек или программа?",
        "это робот отвечает?",
        "ty bot ili chelovek",
        "wait am I chatting with a real person or a robot 🤖",
        "Are you a human?",
        "is this a bot",
        "who am I talking to, a machine?",
    ],
)
def test_asking_what_the_bot_is_is_small_talk(matcher: KnowledgeMatcher, text: str) -> None:
    assert asks_who_answers(text)
    assert matcher.read(text).kind is MessageKind.SMALLTALK


@pytest.mark.parametrize(
    "text",
    [
        "are you a bot? I want a human",
        "vai tu esi robots? gribu runāt ar cilvēku",
        "ты робот? позовите человека",
        "vy robot? pozovite cheloveka pozhalujsta",
        "Is this a bot? Please connect me to a person",
        "gribu runāt ar dzīvu cilvēku",
        "соедините с оператором",
        "real person please",
    ],
)
def test_a_wish_for_a_person_still_reaches_one(matcher: KnowledgeMatcher, text: str) -> None:
    reading = matcher.read(text)
    assert reading.kind is MessageKind.QUESTION
    assert [p.entry for p in reading.parts if p.decision is Decision.ANSWER] == [HUMAN]


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Is this a bot? My invoice did not arrive this month", "invoice-missing"),
        ("tu esi robots? kā nodot skaitītāju rādījumus", "meter-readings-how"),
    ],
)
def test_a_question_beside_it_is_still_answered(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    reading = matcher.read(text)
    assert reading.kind is MessageKind.QUESTION
    assert entry in [p.entry for p in reading.parts if p.decision is Decision.ANSWER]


def test_a_bare_word_about_people_is_not_a_question_about_the_bot() -> None:
    assert not asks_who_answers("mans kaimiņš ir cilvēks ar raksturu")
    assert not asks_who_answers("the robot vacuum broke")


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("vai tu esi robots, man nav atnācis rēķins", "invoice-missing"),
        ("are you a bot, how do I submit meter readings", "meter-readings-how"),
    ],
)
def test_a_question_in_the_same_sentence_is_still_answered(
    matcher: KnowledgeMatcher, text: str, entry: str
) -> None:
    reading = matcher.read(text)
    assert reading.kind is MessageKind.QUESTION
    assert entry in [p.entry for p in reading.parts if p.decision is Decision.ANSWER]


@pytest.mark.parametrize(
    ("text", "smalltalk"),
    [
        ("tu esi robots?", True),
        ("am I chatting with a real person right now", True),
        ("vy bot?", True),
        ("ты бот? позовите человека", False),  # a wish for a person: a request, not small talk
        ("tu esi jauks, paldies", False),
        ("are you sending the invoice by post", False),
    ],
)
def test_reading_calls_small_talk_what_the_interlocutor_pattern_does(text: str, smalltalk: bool) -> None:
    # One pattern: reading's small-talk flag asks ``interlocutor`` whether the bot is asked about.
    assert parse(text).smalltalk is smalltalk
