"""The reading and decision rules of issue 14's second round, each on messages written for this test
(not taken from the evaluation sets): what a resident sees is the decision the matcher returns."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Decision, MessageKind
from helpdesk.knowledge import operations, scope
from helpdesk.knowledge.confidence import SHIPPED, Signals
from helpdesk.knowledge.matcher import MARGIN, KnowledgeMatcher
from helpdesk.knowledge.parts import STATE_CHANGING
from helpdesk.knowledge.reading import parse, shadow
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    "text",
    [
        "Automatic reply: I am out of the office until 3 March. For urgent matters call my colleague.",
        "Labdien! Esmu atvaļinājumā līdz 20. jūlijam un e-pastu nelasu. Rēķinu jautājumos rakstiet Annai.",
        "Автоответ: я в отпуске до понедельника, по срочным вопросам звоните в офис.",
    ],
)
def test_an_automatic_reply_is_answered_with_nothing(matcher: KnowledgeMatcher, text: str) -> None:
    reading = matcher.read(text)
    assert reading.kind is MessageKind.QUESTION
    assert [part.decision for part in reading.parts] == [Decision.ESCALATE]


def test_a_resident_on_holiday_who_asks_is_stillanswered(matcher: KnowledgeMatcher) -> None:
    assert not parse("Esmu atvaļinājumā. Kā iesniegt skaitītāju rādījumus portālā?").automatic


def test_punctuation_spoken_to_a_phone_ends_sentences() -> None:
    spoken = "man nav atnācis rēķins par martu punkts ko man darīt jautājuma zīme"
    assert [s.text for s in parse(spoken).sentences] == [
        "man nav atnācis rēķins par martu punkts",
        "ko man darīt jautājuma zīme",
    ]
    assert [s.text for s in parse("līguma 5. punkts to nosaka").sentences] == ["līguma 5. punkts to nosaka"]


@pytest.mark.parametrize("text", ["thanks, that's all!", "paldies, tas viss", "спасибо, это всё"])
def test_that_is_all_closes(matcher: KnowledgeMatcher, text: str) -> None:
    assert matcher.read(text).kind is MessageKind.CLOSING


def test_a_sentence_of_context_does_not_answer_beside_a_question_with_its_own_subject(
    matcher: KnowledgeMatcher,
) -> None:
    # The story names the debt; the question is about adding a second e-mail address for the bill.
    text = (
        "Labdien! Mans dēls maksā visus rēķinus. Vai rēķinu var sūtīt arī uz viņa e-pasta adresi? "
        "Viņš taču maksā parādu."
    )
    assert "paid-still-debt" not in answered(matcher, text)


def test_operations_name_what_a_state_changing_action_does() -> None:
    assert operations.named("please erase all my personal data") == frozenset()
    assert operations.ACCESS not in operations.named("dzēsiet visus manus datus")
    assert operations.ACCESS in operations.named("izsniedziet man manu datu kopiju")
    assert operations.WITHDRAW in operations.named("не присылайте мне новости")
    assert operations.GIVE not in operations.named("не присылайте мне новости")
    assert operations.GIVE in operations.named("put me back on the news list")
    assert operations.CORRECT in operations.named("lūdzu nomainiet manu uzvārdu")


@pytest.mark.parametrize(
    "text",
    [
        "under GDPR article 17 please delete all my personal data",
        "could you e-mail me the invoice again, it got deleted",
        "как исправить адрес в моих данных на портале?",
    ],
)
def test_no_state_changing_action_on_a_misreading(matcher: KnowledgeMatcher, text: str) -> None:
    assert not set(answered(matcher, text)) & STATE_CHANGING


def test_a_repair_may_name_electricity_and_a_bank_login_is_not_the_portal() -> None:
    sparks = scope.Mentions.of(shadow("kāpņutelpā elektrības skapī dzirksteļo"))
    assert not sparks.foreign("repairs-emergency") and sparks.foreign("invoice-explained")
    bank = scope.Mentions.of(shadow("не могу войти в Luminor"))
    assert bank.foreign("login-eid")
    via = scope.Mentions.of(shadow("можно войти через Luminor?"))
    assert not via.foreign("login-eid") and via.foreign("late-fee")


def _signals(score: float, *, fragment: bool = False, lead: float = 20.0) -> Signals:
    return Signals(score, lead, 2.0, 0.2, 5, fragment, False, False, False)


def test_the_confidence_grows_with_the_score_and_the_lead() -> None:
    scores = [SHIPPED.probability(_signals(s)) for s in (30, 50, 70, 90)]
    assert scores == sorted(scores) and scores[0] < 0.5 < 0.9 < scores[-1]
    assert SHIPPED.probability(_signals(60, lead=2)) < SHIPPED.probability(_signals(60, lead=30))


def test_a_stricter_threshold_asks_the_model_for_more(matcher: KnowledgeMatcher) -> None:
    text = "Labdien, man nav atnācis šī mēneša rēķins. Kur to var atrast?"
    assert answered(matcher, text) == ["invoice-missing"]
    strict = KnowledgeMatcher(matcher.knowledge, threshold=100.1, margin=MARGIN)
    assert answered(strict, text) == []
