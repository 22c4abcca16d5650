"""Whole messages read by the shipped knowledge base, in Telegram and in ``helpdesk chat``, one script
for both (both say the same, and it is right): several questions get one reply that answers each;
the part a person must answer is filed once and quoted; "thanks, bye" and small talk become no
queue item (only the "Ask a person" tap does); a Russian question in this Latvian chat is answered
in Russian; "all my invoices" lists them; a new question or a correction request does not join an
open one; "Ask a person" with nothing typed passes on the question just answered, or asks what to
pass on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk.app import build_services
from helpdesk.core.matching import IntentMatcher
from helpdesk.knowledge import load_matcher
from helpdesk.services import Services
from helpdesk.settings import Settings, load_settings
from helpdesk.storage.models.requests import SupportRequest
from tests.bot.conftest import NOW, BotHarness, seed
from tests.bot.script import Press, Step, through_the_bot, through_the_chat

OFFICE = "Kad atvērsiet jaunu biroju Daugavpilī?"  # no entry answers it: a person does
SCRIPT: tuple[Step, ...] = (
    "/menu",
    "Labdien! Kā pieslēgties portālam? Un vai varat atsūtīt visus manus rēķinus?",  # 1: two answers
    f"Kā pieslēgties portālam? {OFFICE}",  # 2: an answer, and #1 for a person
    "спасибо, до свидания",  # 3: a short reply in Russian, nothing joined
    "Какая завтра погода?",  # 4: what the helpdesk does, and "Ask a person"
    Press(1),  # 5: that tap files #2, in Russian
    "Kā pieslēgties portālam?",  # 6: a new question, answered, not joined to #1 or #2
    "/human",  # 7: passes that question on as #3
    "/menu",  # 8
    Press(5),  # 9: 🙋 Talk to a person, nothing answered before it: what should I pass on?
    "Vai var samaksāt skaidrā naudā birojā?",  # 10: that, as #4
    "Все мои счета",  # 11: the invoice list, in Russian; no data access request
    "Lūdzu, izlabojiet manu uzvārdu, tas ir uzrakstīts nepareizi",  # 12: a correction request #5
)


@pytest.fixture(scope="module")
def knowledge() -> IntentMatcher:
    return load_matcher(load_settings().knowledge, "lv")


@pytest.fixture
async def services(settings: Settings, knowledge: IntentMatcher) -> AsyncIterator[Services]:
    """The bot's services with the shipped knowledge base instead of the fake matcher."""
    built = build_services(settings, matcher=knowledge)
    built.clock = lambda: NOW
    await seed(built)
    yield built
    await built.aclose()


async def test_whole_messages_read_the_same_in_telegram_and_the_chat(
    harness: BotHarness,
    knowledge: IntentMatcher,
    sqlite_template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    by_bot = await through_the_bot(harness, SCRIPT)
    by_chat = await through_the_chat(
        harness, SCRIPT, knowledge, sqlite_template, tmp_path, capsys, monkeypatch
    )
    assert len(by_chat) == len(by_bot) == len(SCRIPT)
    for step, bot_said, chat_said in zip(SCRIPT, by_bot, by_chat, strict=True):
        assert bot_said == chat_said, step

    said = [shown[0] for shown in by_bot]
    login = knowledge.answer("login-eid", "lv")
    assert login is not None
    text, labels, _ = said[1]
    assert login.title in text and "Kuru rēķinu vēlaties?" in text
    assert [label[:7] for label in labels[:2]] == ["2025-12", "2025-11"]
    text, labels, _ = said[2]
    assert login.title in text and f"Jūsu jautājumu „{OFFICE}” nodevu" in text and "(#1)" in text
    assert said[3][0] == "Пожалуйста! Пишите в любое время, если у Вас появится вопрос."
    assert "могу помочь только с порталом" in said[4][0] and said[4][1] == ("Спросить сотрудника", "Меню")
    assert "(#2)" in said[5][0] and "Ваше сообщение передано" in said[5][0]
    assert login.title in said[6][0] and "#" not in said[6][0]
    assert "(#3)" in said[7][0]
    assert said[9][0].startswith("Ko nodot darbiniekam?")
    assert "(#4)" in said[10][0]
    assert said[11][0] == "Какой счёт Вам нужен? Выберите период."
    assert [label[:7] for label in said[11][1][:2]] == ["2025-12", "2025-11"]
    assert said[12][0].startswith("Jūsu datu labošanas pieprasījums ir reģistrēts ar numuru #5.")
    assert not [shown for shown in said if "Pievienoju" in shown[0]]  # nothing was "added" anywhere

    async with harness.services.sessions() as session:
        items = list(await session.scalars(select(SupportRequest).order_by(SupportRequest.id)))
    assert [(item.id, item.summary, item.language) for item in items] == [
        (1, OFFICE, "lv"),
        (2, "Какая завтра погода?", "ru"),
        (3, "Kā pieslēgties portālam?", "lv"),
        (4, "Vai var samaksāt skaidrā naudā birojā?", "lv"),
        (5, "Lūdzu, izlabojiet manu uzvārdu, tas ir uzrakstīts nepareizi", "lv"),
    ]
    assert [item.kind for item in items] == ["question"] * 4 + ["correction"]
