"""Findings of the second walk through the helpdesk as residents write (owners abroad, pensioners
dictating, accountants, tenants). Every message here was written for this test, not taken from an
evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Decision, MessageKind
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.text import keys
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    "text",
    [
        # "do" is English and Russian ("до") alike: it once outvoted "spasibo" and the goodbye
        # was read, and answered, as English.
        "ponjatno, spasibo, do svidanija",
        "vsjo jasno, spasibo, do svidanija",
    ],
)
def test_a_word_both_languages_know_does_not_vote(matcher: KnowledgeMatcher, text: str) -> None:
    assert matcher.read(text, "lv").language == "ru"


def test_english_with_do_stays_english(matcher: KnowledgeMatcher) -> None:
    reading = matcher.read("do you send invoices by post?", "lv")
    assert reading.language == "en"
    assert reading.kind is MessageKind.QUESTION


def test_nevar_splits_like_nevaru() -> None:
    assert keys("nevar", "lv") == keys("nevaru", "lv") == ["ne", "var"]


def test_what_happened_names_no_subject(matcher: KnowledgeMatcher) -> None:
    """ "notiek" (happens) was a word only the overpayment entry used ("kas notiek ar pārmaksu"), so
    asking what happened to a payment or an invoice was told about overpayments."""
    assert answered(matcher, "kas notiek ar manu maksājumu") == []
    assert answered(matcher, "kas noticis ar rēķinu par novembri?") == []
    assert answered(matcher, "kas notiek ar pārmaksu") == ["overpayment"]
    assert answered(matcher, "ielogojos ar banku un nekas nenotiek") == ["login-problems"]


def test_until_which_day_is_not_a_stopword(matcher: KnowledgeMatcher) -> None:
    """ "līdz" (until) was dropped as a stopword, so "līdz kuram …" kept only the how-to's words and
    was answered with how to submit; it now weighs as a question word, beside the deadline's, and
    (with the deadline's sentence phrasings) answers the deadline."""
    reading = matcher.read("līdz kuram jāievada ūdens rādījumi")
    assert answered(matcher, "līdz kuram jāievada ūdens rādījumi") == ["meter-readings-deadline"]
    assert reading.main.candidates[0].entry == "meter-readings-deadline"
    assert answered(matcher, "aizmirsu nodot rādījumus līdz termiņam") == ["meter-readings-missed"]


@pytest.mark.parametrize(
    "text",
    [
        "Labdien!\nMans tēvs dzīvo viens, un rādījumus tagad nododu es. Kā iesniegt rādījumus portālā "
        "un līdz kuram datumam tas jāizdara?\nPaldies, Aija",
        "Hello,\nmy tenant moved out and I have to do the readings myself now. How do I enter them on "
        "the portal, and by which day of the month?\nThanks, Rob",
    ],
)
def test_and_by_which_date_is_a_second_question(matcher: KnowledgeMatcher, text: str) -> None:
    """ "… un līdz kuram datumam", "…, and by which day" were not cut off as a second question: the
    whole mail went to a person, or the date question was dropped beside the how-to."""
    parts = matcher.read(text).parts
    assert [part.entry for part in parts if part.decision is Decision.ANSWER] == ["meter-readings-how"]
    assert len(parts) == 2


def test_wanting_to_ask_is_not_the_personal_code(matcher: KnowledgeMatcher) -> None:
    """ "ask" was a word only the personal-code entry's phrasings used ("why does the portal ask for
    my personal code"), so "I need to ask about the payment" was told why a code is needed."""
    assert "personal-code-why" not in answered(matcher, "I need to ask about the payment")
    assert answered(matcher, "can I ask something about my bill") == ["contact-support"]
    assert answered(matcher, "why do you ask for my personal code") == ["personal-code-why"]
