"""The agents' notice of new items reaches their Telegram group through the bot's outbox sender,
as one message with no personal data (checked through the fake Bot API)."""

from __future__ import annotations

from datetime import UTC, datetime

from helpdesk.bot.delivery import deliver_due
from helpdesk.jobs.arrivals import announce_arrivals
from tests.bot.conftest import STRANGER, BotHarness
from tests.bot.fake_api import message

GROUP = -1001234567890


async def test_a_question_is_announced_in_the_agents_group(harness: BotHarness) -> None:
    services = harness.services
    jobs = harness.settings.replace(agents_telegram_chat=GROUP).jobs
    await harness.send(message(STRANGER, "Kāpēc mans rēķins ir tik liels? Anna Ozola, Lāčplēša iela 7-2"))
    await harness.send(message(STRANGER + 1, "Kur ir mana nauda?", language_code="ru"))
    assert await announce_arrivals(services, jobs, None) == 2
    services.clock = lambda: datetime.now(UTC)  # the outbox stamps rows with the real time
    assert await deliver_due(services, harness.bot) == 1
    (notice,) = harness.fake.sent_to(GROUP)
    assert notice.method == "sendMessage"
    assert notice.text.startswith("2 jauni ieraksti rindā:\n#1 jautājums, Telegram, termiņš 02.02.2026")
    for personal in ("rēķins", "Anna", "Ozola", "Lāčplēša", "nauda", str(STRANGER)):
        assert personal not in notice.text
    assert await deliver_due(services, harness.bot) == 0


async def test_the_bot_keeps_quiet_in_the_agents_group_only(harness: BotHarness) -> None:
    harness.dispatcher["agents_chat"] = GROUP
    await harness.send(message(STRANGER, "Paņemu #1", chat_id=GROUP, chat_type="supergroup"))
    assert harness.fake.sent_to(GROUP) == []
    await harness.send(message(STRANGER, "sveiki", chat_id=-200, chat_type="supergroup"))
    (refusal,) = harness.fake.sent_to(-200)
    assert refusal.text.startswith("Es atbildu tikai privātā sarakstē")
