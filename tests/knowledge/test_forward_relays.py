"""A note on top that only hands a forwarded mail on ("Pārsūtu sievas jautājumu", "Пришлите то, что
она просит", "please help my mother with the below") defers to the forwarded mail: its questions are
the resident's. A note that asks its own question is still read alone. All messages are written for
this test."""

from __future__ import annotations

from helpdesk.knowledge.forwards import relays
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import parse, shadow
from tests.knowledge.conftest import answered

HEADERS = """

---------- Forwarded message ---------
From: Ilze Kalniņa <ilze.k@inbox.lv>
Date: Wed, 5 Mar 2025 at 19:02
Subject: {subject}
To: <janis.k@inbox.lv>

"""

WIFE_LV = (
    "Labdien, pārsūtu sievas jautājumu, viņai pašai nav laika rakstīt.\n\nJānis"
    + HEADERS.format(subject="skaitītāji")
    + "Sveiki, kā portālā iesniegt ūdens skaitītāju rādījumus?\n"
)
MOTHER_RU = """Пересылаю письмо мамы. Ответьте, пожалуйста, на её вопрос.

Олег

-------- Пересылаемое сообщение --------
От: Галина <galina.p@mail.ru>
Дата: 03.12.2024, 21:05
Тема: квитанции
Кому: oleg.p@mail.ru

Здравствуйте! Как перейти с бумажных счетов на электронную почту? Бумажные я теряю.
"""
MOTHER_EN = (
    "Hi, please help my mother with the below.\n\nTom"
    + HEADERS.format(subject="paper")
    + "Hello, how can I stop getting paper invoices and get them by email instead?\n"
)
SEND_WHAT_SHE_ASKS = (
    "Пересылаю письмо жены, сама она до вас не дозвонилась. Пришлите, пожалуйста, то, что она просит."
    + HEADERS.format(subject="счёт")
    + "Добрый день! Пришлите, пожалуйста, счёт за ноябрь в pdf.\n"
)


def _read(text: str) -> list[str]:
    return [span.text for span in parse(text).sentences]


def test_a_sentence_that_hands_the_mail_on_is_told_from_one_that_asks_itself() -> None:
    for note in (
        "Pārsūtu sievas jautājumu.",
        "Lūdzu, atbildiet uz viņas jautājumu.",
        "Skat. zemāk.",
        "Пересылаю письмо жены, сама она не может до вас достучаться.",
        "Пришлите, пожалуйста, то, что она просит.",
        "Ответьте, пожалуйста, на её вопрос.",
        "Please help my mother with the below.",
        "I'm forwarding my neighbour's e-mail.",
        "Can you answer her question?",
    ):
        assert relays(shadow(note)), note
    for own in (
        "Pārsūtu: kāpēc rēķins ir mēstulēs?",  # a question word of its own
        "Forwarding my wife's question: what is the deadline for readings?",
        "Why is my invoice below the usual amount?",
        # Too long to say nothing, and the forwarding is the tenant's, not the writer's.
        "Is there a way for the tenant to get the invoices directly, so he stops forwarding them to me?",
        "Kā nomainīt e-pastu, uz kuru nāk rēķini?",
    ):
        assert not relays(shadow(own)), own


def test_a_relaying_note_defers_to_the_forwarded_questions() -> None:
    # The note is not read; the forwarded mail's question is, and as a question, not as what tells.
    assert _read(WIFE_LV)[-1] == "kā portālā iesniegt ūdens skaitītāju rādījumus?"
    assert not any("pārsūtu" in text.lower() for text in _read(WIFE_LV))
    ru = parse(MOTHER_RU)
    assert [span.text for span in ru.sentences][1] == "Как перейти с бумажных счетов на электронную почту?"
    assert not ru.told
    assert not any("Ответьте" in text for text in _read(MOTHER_RU))
    assert _read(MOTHER_EN)[-1] == "how can I stop getting paper invoices and get them by email instead?"


def test_the_forwarded_question_is_answered_in_its_own_language(matcher: KnowledgeMatcher) -> None:
    assert answered(matcher, WIFE_LV) == ["meter-readings-how"]
    assert answered(matcher, MOTHER_RU) == ["paper-to-email"]
    assert answered(matcher, MOTHER_EN) == ["paper-to-email"]
    assert answered(matcher, SEND_WHAT_SHE_ASKS) == ["action:invoice"]
    assert matcher.read(MOTHER_RU).language == "ru"
    assert matcher.read(MOTHER_EN).language == "en"


def test_a_note_with_its_own_question_keeps_the_forward_unread(matcher: KnowledgeMatcher) -> None:
    own = (
        "Pārsūtu: kāpēc man rēķinā ir divreiz apsaimniekošana par novembri?"
        + HEADERS.format(subject="skaitītāji")
        + "Sveiki, kā portālā iesniegt ūdens skaitītāju rādījumus?\n"
    )
    assert _read(own) == ["Pārsūtu: kāpēc man rēķinā ir divreiz apsaimniekošana par novembri?"]
    assert "meter-readings-how" not in answered(matcher, own)
    # A story about the forward is no hand-over when the mail asks its own questions below it.
    story = (
        "My tenant sent me the message below. Some questions: how do I pay the invoice online with a card?"
        + HEADERS.format(subject="meters")
        + "Hi, how do I submit the water meter readings?\n"
    )
    assert "how do I submit the water meter readings?" not in _read(story)


def test_a_forward_with_nothing_on_top_reads_as_before() -> None:
    bare = HEADERS.format(subject="skaitītāji").lstrip() + "Sveiki, kā portālā iesniegt rādījumus?\n"
    assert _read(bare)[-1] == "kā portālā iesniegt rādījumus?"
