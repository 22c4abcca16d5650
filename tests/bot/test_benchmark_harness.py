"""The throughput benchmark's own harness: it must finish on small loads and never wait forever.

It once hung for good on ``--updates 300`` (the echo warm-up waited for 500 replies) and whenever a
reply went missing (an apology instead of an invoice PDF). Here it runs against an in-process fake.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher

from tests.benchmark_module import load_benchmark
from tests.bot.fake_api import FakeTelegram, message

bench = load_benchmark("telegram_throughput")


class InProcessServer(bench.FakeServer):  # type: ignore[name-defined,misc]
    """The benchmark's handle on the fake, without spawning a process."""

    def __init__(self, url: str) -> None:
        self.url = url


@pytest.fixture
async def server() -> AsyncIterator[InProcessServer]:
    fake = FakeTelegram(bench.TOKEN)
    fake.record = False
    yield InProcessServer(await fake.start())
    await fake.stop()


async def test_echo_rate_finishes_with_fewer_updates_than_the_warm_up(server: InProcessServer) -> None:
    rate = await bench.echo_rate(server, 50)
    assert rate > 0


async def test_a_missing_reply_is_reported_not_waited_for(
    server: InProcessServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "TIMEOUT", 1.0)
    bot = Bot(bench.TOKEN, session=bench.AiohttpSession(api=bench.TelegramAPIServer.from_base(server.url)))
    dispatcher = Dispatcher()  # no handlers: nothing will be sent
    try:
        with pytest.raises(bench.Incomplete, match=r"sendDocument 0/3 \(3 missing\)"):
            await bench.drain(
                server, bot, dispatcher, [message(1, "/invoice") for _ in range(3)], {"sendDocument": 3}
            )
    finally:
        await bot.session.close()
