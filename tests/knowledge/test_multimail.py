"""Whole e-mails that ask two or three things: a question asked indirectly still asks, a vague
question takes its subject from the story beside it though the mail asks something else too, and a
question that offers a choice after an answered one asks nothing new. Every message here was
written for these tests, not taken from an evaluation set."""

from __future__ import annotations

from dataclasses import replace

import pytest

from helpdesk.core.matching import Candidate, Decision
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import asks
from helpdesk.knowledge.stories import story_led
from tests.knowledge.conftest import answered
from tests.knowledge.test_longmails import _unit

# --- An indirect question asks -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Mamma diktē ciparus, bet es nesaprotu, kur tie jāievada.",
        "Tur ir 7 eiro, un nezinu, par ko.",
        "Vēl mani interesē, kur jūs glabājat manus datus.",
        "Мама диктует цифры, а я не понимаю, куда их вносить.",
        "Отдельно интересует, где находятся ваши серверы.",
        "ne ponimaju gde eto smotret'",
        "I don't understand what the heating line means.",
        "We are not sure whether the invoice is right.",
    ],
)
def test_a_question_asked_indirectly_asks(sentence: str) -> None:
    assert asks(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Es zinu, kur tie jāievada.",  # knowing is no question
        "Меня интересует ваш новый сайт.",  # nothing after it is asked
        "I don't know him personally.",
        "Maksāju katru mēnesi laikā.",
    ],
)
def test_knowing_or_a_bare_interest_does_not_ask(sentence: str) -> None:
    assert not asks(sentence)


def test_an_indirect_second_question_is_answered(matcher: KnowledgeMatcher) -> None:
    text = "Labdien! Kā samaksāt rēķinu ar karti portālā? Vēl mani interesē, kur jūs glabājat manus datus."
    assert sorted(e for e in answered(matcher, text) if e) == ["data-location", "pay-online"]


@pytest.mark.parametrize(
    "text",
    [
        "Здравствуйте! Как оплатить счёт картой на портале? Ещё интересует, где хранятся мои данные.",
        "Hi, how do I pay my invoice by card on the portal? I also don't understand where my data is stored.",
    ],
)
def test_an_indirect_second_question_is_not_dropped(matcher: KnowledgeMatcher, text: str) -> None:
    """Answered or handed to a person, but never lost: before, the mail got one answer only."""
    parts = matcher.read(text).parts
    assert [p.entry for p in parts if p.decision is Decision.ANSWER] == ["pay-online"]
    assert any(p.decision is not Decision.ANSWER and ("данные" in p.text or "data" in p.text) for p in parts)


# --- A vague question reads its story, whatever else the mail asks ----------------------------------


def test_a_vague_question_in_the_run_lets_its_story_answer() -> None:
    story = _unit(0, 0, [("meter-readings-how", 66.0)], False, subject=3.9)
    vague = _unit(1, 1, [("privacy-what-data", 70.0), ("new-owner", 68.0)], True, subject=0.4)
    other = _unit(2, 2, [("register", 43.0), ("sold-apartment", 30.0)], True, subject=1.4)
    run = _unit(
        0, 1, [("meter-readings-how", 65.0)], True, decision=Decision.ANSWER, entry="meter-readings-how"
    )
    decided = [story, vague, other, run]
    # The run's own question is vague and asked as a question: the run answers it.
    assert not story_led(run, decided, {1, 2})
    # Not asked as a question (a problem stated): another question's subject still wins.
    assert story_led(run, decided, {2})
    # A run whose question names a subject of its own stays read by its story.
    named = replace(vague, subject=2.0, candidates=(Candidate("privacy-what-data", 70.0),))
    assert story_led(run, [story, named, other, run], {1, 2})


def test_a_vague_question_beside_another_is_answered_from_its_story(matcher: KnowledgeMatcher) -> None:
    text = (
        "Здравствуйте. Я снимаю квартиру в Огре. Хозяин хочет, чтобы я каждый месяц подавала показания "
        "счётчиков воды на вашем портале. Как это делается? Нужно ли мне самой регистрироваться, если "
        "квартира не моя?"
    )
    assert "meter-readings-how" in answered(matcher, text)


# --- A question that offers a choice after an answered one ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("How do I set up automatic payment of my invoices? Through you or through my bank?", "auto-payment"),
        (
            "Куда писать, если вопрос про работу сайта? Только сюда или есть отдельная почта?",
            "contact-support",
        ),
    ],
)
def test_a_choice_after_an_answer_goes_to_nobody(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    parts = matcher.read(text).parts
    assert [(p.decision, p.entry) for p in parts] == [(Decision.ANSWER, entry)]


def test_a_choice_of_its_own_subject_still_goes_to_a_person(matcher: KnowledgeMatcher) -> None:
    """ "Or" in a question that names its own subject is a question of its own."""
    text = "How do I set up automatic payment of my invoices? Is the lift repair planned this year or next?"
    parts = matcher.read(text).parts
    assert parts[0].entry == "auto-payment"
    assert len(parts) == 2 and parts[1].decision is not Decision.ANSWER
