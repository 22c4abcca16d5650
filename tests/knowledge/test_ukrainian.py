"""Russian written with Ukrainian words and letters is read as Russian (helpdesk/knowledge/ukrainian.py).
Every message here is invented."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import MessageKind
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.text import words
from helpdesk.knowledge.ukrainian import as_russian, russian_word
from tests.knowledge.conftest import answered


def test_function_words_and_the_portals_nouns_have_russian_counterparts() -> None:
    assert words("як мені отримати рахунок") == ["как", "мне", "получить", "счет"]
    assert words("будь ласка, відпишіть мене від розсилки") == [
        "пожалуйста",
        "отпишите",
        "меня",
        "от",
        "рассылки",
    ]


def test_the_letters_russian_has_not_become_its_own() -> None:
    assert russian_word("порталі") == "портали"
    assert russian_word("ґанок") == "ганок"
    assert russian_word("кабінет") == "кабинет"


@pytest.mark.parametrize(
    "word",
    ["та", "адреса", "будь", "как", "счет", "квартира", "rekins"],  # Russian (or Latin) words stay
)
def test_words_russian_spells_alike_stay(word: str) -> None:
    assert russian_word(word) == word


def test_russian_and_latin_text_is_left_alone() -> None:
    assert as_russian("где мой счет") == "где мой счет"
    assert as_russian("kur ir mans rekins") == "kur ir mans rekins"
    assert as_russian("як змінити пошту") == "как изменить почту"


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("привіт, як мені подати показання лічильника?", "meter-readings-how"),
        ("Добрий день! Не прийшов рахунок за березень", "invoice-missing"),
        ("як змінити електронну пошту для рахунків?", "change-invoice-email"),
        ("будь ласка, відпишіть мене від розсилки", "action:consent-withdraw"),
        ("Вітаю! Чи можна сплатити рахунок карткою?", "pay-online"),
        ("навіщо вам мій персональний код?", "personal-code-why"),
        ("коли треба подати показники лічильника?", "meter-readings-deadline"),
    ],
)
def test_a_ukrainian_question_is_answered_in_russian(
    matcher: KnowledgeMatcher, text: str, entry: str
) -> None:
    assert answered(matcher, text) == [entry]
    assert matcher.read(text).language == "ru"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("дякую", MessageKind.CLOSING),
        ("Дякую, до побачення", MessageKind.CLOSING),
        ("дуже дякую", MessageKind.CLOSING),
        ("З повагою, Олена", MessageKind.CLOSING),
        ("привіт", MessageKind.GREETING),
    ],
)
def test_ukrainian_greetings_and_thanks_are_read_as_such(
    matcher: KnowledgeMatcher, text: str, kind: MessageKind
) -> None:
    reading = matcher.read(text)
    assert reading.kind is kind
    assert reading.language == "ru"
