"""The outbox port: a message goes to its channel's queue, and a channel nobody plugged in says so."""

from __future__ import annotations

from typing import Any

import pytest

from helpdesk.core.ports import NoChannel, OutboundMessage, Outbox


async def test_a_message_goes_to_its_channels_queue_only() -> None:
    queued: list[tuple[str, Any, OutboundMessage]] = []

    def queue_for(channel: str) -> Any:
        async def enqueue(session: Any, message: OutboundMessage) -> None:
            queued.append((channel, session, message))

        return enqueue

    outbox = Outbox({"telegram": queue_for("telegram"), "email": queue_for("email")})
    message = OutboundMessage(channel="email", recipient="janis@example.lv", text="Labdien!", language="lv")
    session = object()
    await outbox.queue(session, message)  # type: ignore[arg-type]
    assert queued == [("email", session, message)]
    with pytest.raises(NoChannel):
        await outbox.queue(session, OutboundMessage(channel="chat", recipient="t", text="x", language="lv"))  # type: ignore[arg-type]
    with pytest.raises(NoChannel):  # a Services built without the app's wiring sends nothing
        await Outbox().queue(session, message)  # type: ignore[arg-type]
