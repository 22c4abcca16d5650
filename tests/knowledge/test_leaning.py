"""How a mail of stories and several questions is read (``helpdesk.knowledge.leaning``): a question
that names little of its own leans to the reading of the run that holds it with its story; a second
question asked apart answers at the model's usual confidence; a sentence that reads alone as
another entry is no follow-up of the answer beside it. The messages are invented for these tests."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Candidate, Decision
from helpdesk.knowledge.leaning import OWN_MEANING, asked_apart, leaning, own_reading
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.parts import Unit
from helpdesk.knowledge.reading import Span
from tests.knowledge.conftest import answered


def _unit(
    first: int,
    last: int,
    entry: str,
    score: float,
    *,
    answer: bool = False,
    confidence: float = 0.5,
    subject: float = 1.0,
    asks: bool = False,
    runner_up: tuple[str, float] = ("pay-online", 20.0),
) -> Unit:
    candidates = (Candidate(entry, score), Candidate(*runner_up))
    decision = Decision.ANSWER if answer else Decision.ESCALATE
    return Unit(
        first,
        last,
        decision,
        entry if answer else None,
        score,
        candidates,
        asks=asks,
        subject=subject,
        confidence=confidence,
    )


# "Pārdevu dzīvokli. Bet rēķins vēl nāk. Kāpēc un ko darīt, lai tie vairs nenāk?": the question alone
# reads spam; the story and the question together read the sold flat.
_QUESTION = _unit(2, 2, "invoice-spam", 60.0, asks=True, confidence=0.2, subject=1.4)
_STORY_RUN = _unit(1, 2, "sold-apartment", 51.0, asks=True, confidence=0.9, subject=1.7)


def test_a_weak_question_leans_to_the_run_it_is_read_in() -> None:
    assert "sold-apartment" in leaning([_QUESTION], [_QUESTION, _STORY_RUN])


def test_a_run_the_model_doubts_lends_no_reading() -> None:
    doubted = _unit(1, 2, "sold-apartment", 31.0, asks=True, confidence=0.3)
    assert "sold-apartment" not in leaning([_QUESTION], [_QUESTION, doubted])


def test_a_question_with_a_meaning_of_its_own_is_not_read_through_its_story() -> None:
    # (its runner-up within ``LEAN_GAP`` of its best, so that both of its own readings count)
    own = _unit(
        2,
        2,
        "change-invoice-email",
        38.0,
        asks=True,
        confidence=0.1,
        subject=OWN_MEANING + 0.5,
        runner_up=("pay-online", 30.0),
    )
    assert leaning([own], [own, _STORY_RUN]) == {"change-invoice-email", "pay-online"}


def test_a_question_leans_to_its_second_reading_only_when_close() -> None:
    far = _unit(
        2,
        2,
        "action:consent-give",
        57.0,
        asks=True,
        subject=OWN_MEANING + 0.5,
        runner_up=("news-unsubscribe", 37.0),
    )
    assert leaning([far], [far]) == {"action:consent-give"}


def test_an_answered_question_leans_only_to_its_own_readings() -> None:
    sure = _unit(2, 2, "invoice-spam", 60.0, answer=True, asks=True, confidence=0.9, subject=1.4)
    assert "sold-apartment" not in leaning([sure], [sure, _STORY_RUN])


_SENTENCES = (
    Span(0, 20, "Ievadīju nepareizi."),
    Span(21, 33, "Kā to labot?"),
    Span(34, 70, "Samaksāju, bet rēķinā vēl ir parāds."),
)


def test_a_second_question_asked_apart_answers_at_usual_confidence() -> None:
    second = _unit(0, 1, "meter-readings-fix", 48.0, answer=True, asks=True, confidence=0.8)
    assert asked_apart(second, _SENTENCES, frozenset())


def test_a_request_without_a_question_is_not_asked_apart() -> None:
    # a story with a problem stated beside the answered question still needs the surer bar
    story = _unit(2, 2, "paid-still-debt", 48.0, answer=True, asks=True, confidence=0.8)
    assert not asked_apart(story, _SENTENCES, frozenset())


def test_a_forwarded_question_is_not_asked_apart() -> None:
    second = _unit(0, 1, "meter-readings-fix", 48.0, answer=True, asks=True, confidence=0.8)
    assert not asked_apart(second, _SENTENCES, frozenset({_SENTENCES[1]}))


def test_a_sentence_with_a_clear_reading_of_its_own_is_no_follow_up() -> None:
    given = _unit(0, 0, "login-problems", 70.0, answer=True, confidence=0.99)
    request = _unit(1, 1, "action:invoice", 50.0, asks=True, confidence=0.3, subject=0.8)
    bare = _unit(1, 1, "privacy-what-data", 86.0, asks=True, confidence=0.3, subject=0.3)
    assert not own_reading(bare, [given], 49.0, 6.0)  # "Что делать?" names nothing of its own
    assert own_reading(request, [given], 49.0, 6.0)
    assert not own_reading(request, [given], 55.0, 6.0)  # under the threshold: a follow-up may be
    close = _unit(1, 1, "action:invoice", 50.0, runner_up=("action:invoice-list", 47.0))
    assert not own_reading(close, [given], 49.0, 6.0)  # no clear lead
    same = _unit(1, 1, "login-problems", 60.0)
    assert not own_reading(same, [given], 49.0, 6.0)  # the answer given reads it


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        (
            "Labdien! Dzīvokli Bauskā pārdevu vasarā, pircējs jau ir īpašnieks zemesgrāmatā.\n"
            "Bet man vēl aizvien atnāk rēķini par to.\nKāpēc un ko darīt, lai tie vairs nenāk?",
            ["sold-apartment"],
        ),
        (
            "Добрый день. Квартиру я продала ещё летом.\nНо мне опять прислали счёт за неё.\n"
            "Почему и что сделать, чтобы они больше не приходили?",
            ["sold-apartment"],
        ),
        (
            "Paldies, e-rēķinu automātisko apmaksu internetbankā pieslēdzu.\n"
            "Tomēr februāra rēķins netika samaksāts, banka saka, ka pārsniegts limits.\n"
            "Kā to izdarīt pareizi, lai nākamreiz nomaksājas pats?",
            ["auto-payment"],
        ),
        (
            "Hello! I entered the wrong reading for hot water, 520 instead of 250, and the bill is huge now."
            "\n"
            "The deadline is over already.\nHow do I put it right?\n"
            "And another thing - I paid for February but the March bill shows a debt of 30 euro.\nWhy?",
            ["meter-readings-fix", "paid-still-debt"],
        ),
    ],
)
def test_a_story_and_its_weak_question_answer_together(
    matcher: KnowledgeMatcher, text: str, entries: list[str]
) -> None:
    assert answered(matcher, text) == entries


@pytest.mark.parametrize(
    "text",
    [
        "Sveiki! Vai rēķinu var samaksāt portālā ar karti?\n"
        "Un vēl - kad mūsu kāpņutelpā beidzot nomainīs vecās durvis?",
    ],
)
def test_a_question_apart_the_kb_half_knows_still_goes_to_a_person(
    matcher: KnowledgeMatcher, text: str
) -> None:
    decisions = [(part.decision, part.entry) for part in matcher.read(text).parts]
    assert decisions == [(Decision.ANSWER, "pay-online"), (Decision.ESCALATE, None)]
