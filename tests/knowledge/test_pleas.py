"""A plea for help or a check after the sentence that says what is wrong ("Could you check?",
"Помогите, пожалуйста", "Lūdzu palīdziet!") names no subject of its own: the sentence before it
answers, and the plea is neither an answer nor a question for a person. Every message here was
written for this test, not taken from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Decision, MessageKind
from helpdesk.knowledge.matcher import KnowledgeMatcher
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        (
            "Hello,\nI haven't received my invoice for this month. Could you check?\nBest regards,\nJohn",
            "invoice-missing",
        ),
        ("I haven't received my invoice. Please check.", "invoice-missing"),
        ("Счёт не пришёл. Помогите, пожалуйста.", "invoice-missing"),
        ("Счёт не пришёл. Можете проверить?", "invoice-missing"),
        ("Rēķins nav pienācis. Lūdzu palīdziet!", "invoice-missing"),
        ("Rekins nav pienacis. Vai varat parbaudit?", "invoice-missing"),
        ("Я оплатила счёт, а долг остался. Проверьте, пожалуйста.", "paid-still-debt"),
        ("Šomēnes rēķins neatnāca. Lūdzu pārbaudiet, kas noticis.", "invoice-missing"),
        ("Счёт не пришёл. Проверьте, пожалуйста, что случилось.", "invoice-missing"),
        ("My invoice did not arrive. Please check what happened.", "invoice-missing"),
    ],
)
def test_a_plea_beside_the_problem_lets_the_problem_answer(
    matcher: KnowledgeMatcher, text: str, entry: str
) -> None:
    reading = matcher.read(text)
    assert [part.decision for part in reading.parts] == [Decision.ANSWER]
    assert reading.parts[0].entry == entry


@pytest.mark.parametrize("text", ["Could you check?", "Please help", "Palīdziet!", "Можете проверить?"])
def test_a_plea_alone_answers_nothing(matcher: KnowledgeMatcher, text: str) -> None:
    """ "Check" and "help" each meet one phrasing (a debt to check, a second person to help): alone
    they once answered paid-still-debt or asked to choose between unrelated entries."""
    reading = matcher.read(text)
    assert answered(matcher, text) == []
    assert all(part.decision is Decision.ESCALATE for part in reading.parts)


def test_a_real_second_question_beside_an_answer_still_goes_to_a_person(matcher: KnowledgeMatcher) -> None:
    reading = matcher.read("Rēķins nav pienācis. Vai strādājat sestdienās?")
    assert reading.kind is MessageKind.QUESTION
    assert [(part.decision, part.entry) for part in reading.parts] == [
        (Decision.ANSWER, "invoice-missing"),
        (Decision.ESCALATE, None),
    ]


def test_help_with_a_subject_still_answers(matcher: KnowledgeMatcher) -> None:
    assert answered(matcher, "Palīdziet iesniegt ūdens skaitītāju rādījumus") == ["meter-readings-how"]
    assert answered(matcher, "Помогите передать показания счётчиков") == ["meter-readings-how"]


@pytest.mark.parametrize(
    "text", ["не помогло", "not what I asked", "jā", "tas nav tas, ko jautāju", "nepalīdzēja"]
)
def test_a_reply_about_the_last_answer_answers_nothing(matcher: KnowledgeMatcher, text: str) -> None:
    """ "Не помогло" once answered second-recipient ("помочь"), "not what I asked" personal-code-why
    ("why do you ask for my code") and "jā" asked to choose between a debt and a wrong reading
    ("ja", if): each is small talk now, whose reply offers a person."""
    assert matcher.read(text).kind is MessageKind.SMALLTALK


def test_if_still_starts_a_question(matcher: KnowledgeMatcher) -> None:
    assert answered(matcher, "Ja rēķins nav pienācis, ko darīt?") == ["invoice-missing"]
