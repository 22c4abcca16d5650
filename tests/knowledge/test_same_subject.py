"""A second question word joined by "and" asks a second question of the first clause's subject
("Kad jānodod rādījumi un kā to izdarīt?"): it is read with that subject and answered on its own
when sure. A case put with "and what if" that names a subject of its own is a question of its own,
not the answer beside it asked again. Every message here was written for these tests, not taken
from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Decision
from helpdesk.knowledge.followup import _new_case
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.parts import Unit
from helpdesk.knowledge.samesubject import with_subject
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    ("before", "clause", "read"),
    [
        (
            "Kad jānodod ūdens skaitītāju rādījumi",
            "un kā to izdarīt?",
            "ka janodod udens skaititaju radijumi",
        ),
        ("Līdz kuram datumam jānodod rādījumi", "un kur tos ievadīt?", "kur ievadit janodod radijumi"),
        ("Когда нужно подавать показания", "и как это сделать?", "как нужно подавать показания"),
        ("Kogda nado podavat pokazanija", "i kak eto sdelat?", "kak nado podavat pokazanija"),
        ("Где смотреть счёт", "и сколько стоит бумажный?", "сколько стоит бумажный смотреть счет"),
        ("When do I send meter readings", "and how do I do it?", "how i do i send meter readings"),
    ],
)
def test_a_second_question_word_is_read_with_the_first_subject(before: str, clause: str, read: str) -> None:
    assert with_subject(before, clause) == read


@pytest.mark.parametrize(
    ("before", "clause"),
    [
        ("Gribu nomainīt e-pastu.", "Kā to izdarīt?"),  # a wish, then "how?": the wish asked again
        ("Gribu nomainīt e-pastu.", "Un kā to izdarīt?"),
        ("Kur var apskatīt rēķinu", "un kur to samaksāt?"),  # the same kind of question word
        ("Kad jānodod rādījumi", "kā to izdarīt?"),  # not joined by "and"
        ("How do I log in?", "and what if I forgot which email I used?"),  # "what" is no second kind
        ("I moved last month", "and how do I change the address?"),  # the first clause asks nothing
    ],
)
def test_other_clauses_are_not_read_with_the_first_subject(before: str, clause: str) -> None:
    assert with_subject(before, clause) is None


@pytest.mark.parametrize(
    "text",
    [
        "Kad jānodod ūdens skaitītāju rādījumi un kā to izdarīt?",
        "Līdz kuram datumam jānodod rādījumi un kā to izdarīt?",
        "Когда нужно подавать показания счётчиков и как это сделать?",
        "Kogda nado podavat pokazanija schetchikov i kak eto sdelat?",
        "When do I need to submit meter readings and how do I do it?",
        # when, and where on the portal (was handed to a person beside the deadline, test_leaning)
        "zdravstvujte do kakogo chisla sdavat pokazanija schetchika i gde ih zapisat na portale",
    ],
)
def test_when_and_how_are_both_answered(matcher: KnowledgeMatcher, text: str) -> None:
    assert answered(matcher, text) == ["meter-readings-deadline", "meter-readings-how"]


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        ("Gribu nomainīt e-pastu. Kā to izdarīt?", ["change-invoice-email"]),  # "how?" after a wish
        ("Kad jānodod rādījumi un kad tos ievadīt?", ["meter-readings-deadline"]),
    ],
)
def test_a_how_after_a_wish_or_the_same_question_word_adds_no_answer(
    matcher: KnowledgeMatcher, text: str, entries: list[str]
) -> None:
    assert answered(matcher, text) == entries


def test_a_first_clause_the_kb_cannot_read_lends_no_subject(matcher: KnowledgeMatcher) -> None:
    parts = matcher.read("Kāpņu telpā mainīs logus. Kad tas būs un cik man par to būs jāmaksā?").parts
    assert parts[-1].text == "un cik man par to būs jāmaksā?"
    assert parts[-1].decision is Decision.ESCALATE


def _unit(decision: Decision, subject: float, confidence: float) -> Unit:
    return Unit(
        1,
        1,
        decision,
        "login-eid" if decision is Decision.ANSWER else None,
        52.0,
        (),
        True,
        subject,
        False,
        confidence,
    )


@pytest.mark.parametrize(
    "text",
    [
        "And what if I forgot which email I used?",
        "А что, если я забыл, какую почту указывал?",
        "A chto esli ja zabyl pochtu?",
        "А если я не помню почту?",
        "Un ko darīt, ja aizmirsu, kuru e-pastu norādīju?",
        "Un ja nu esmu aizmirsis e-pastu?",
    ],
)
def test_and_what_if_with_a_subject_of_its_own_is_a_new_case(text: str) -> None:
    assert _new_case(_unit(Decision.ANSWER, 1.5, 0.7), text)
    assert _new_case(_unit(Decision.ESCALATE, 1.5, 0.3), text)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("And what if I forgot it?", _unit(Decision.ESCALATE, 0.4, 0.3)),  # no subject of its own
        ("Un ja es aizmirsu paroli?", _unit(Decision.ANSWER, 1.7, 0.97)),  # alone it reads the answer surely
        ("And what is the fee?", _unit(Decision.ANSWER, 1.5, 0.7)),  # no "what if"
        ("Un jā, vēl e-pasts", _unit(Decision.ANSWER, 1.5, 0.7)),  # "jā" is "yes"
    ],
)
def test_other_follow_ups_are_no_new_case(text: str, unit: Unit) -> None:
    assert not _new_case(unit, text)


@pytest.mark.parametrize(
    "text",
    [
        "How do I log in with Smart-ID? And what if I don't remember which email address I gave you?",
        "Kā pieslēgties portālam? Un ko darīt, ja aizmirsu, kuru e-pastu norādīju?",
        "Как войти на портал через Smart-ID? А что, если я забыл, какую почту указывал?",
    ],
)
def test_a_new_case_after_a_login_question_goes_to_a_person(matcher: KnowledgeMatcher, text: str) -> None:
    parts = matcher.read(text).parts
    assert [(part.decision, part.entry) for part in parts] == [
        (Decision.ANSWER, "login-eid"),
        (Decision.ESCALATE, None),
    ]


def test_a_forgotten_password_after_a_login_question_is_answered_by_it(matcher: KnowledgeMatcher) -> None:
    parts = matcher.read("Kā pieslēgties portālam? Un ja es aizmirsu paroli?").parts
    assert [(part.decision, part.entry) for part in parts] == [(Decision.ANSWER, "login-eid")]
