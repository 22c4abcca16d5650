"""A message its channel could not hand to the handlers is filed for a person here, like every other
queue item: a ``mail`` item with a question's deadline, its sender unverified, and an audit entry."""

from __future__ import annotations

from helpdesk.core.deadlines import question_deadline
from helpdesk.handlers.escalate import KEPT_UNPROCESSED, keep_unprocessed
from helpdesk.services import Services
from helpdesk.storage.repositories import audit, requests

from .conftest import NOW


async def test_a_message_kept_unprocessed_is_a_queue_item_for_a_person(services: Services) -> None:
    async with services.sessions() as session, session.begin():
        item_id = await keep_unprocessed(
            session,
            services.conversation,
            channel="email",
            contact=None,
            reason="size-limit",
            summary="An e-mail could not be handled automatically (size-limit).",
            how="e-mail, not processed",
            details={"folder": "Quarantine", "uid": 7},
            actor="mailbox",
            now=NOW,
        )
    async with services.sessions() as session:
        item = await requests.get(session, item_id)
        events = await audit.for_request(session, item_id)
    assert item is not None
    assert (item.kind, item.status, item.channel, item.contact) == ("mail", "open", "email", "unknown")
    assert item.deadline_at == question_deadline(NOW, services.conversation.question_answer_hours)
    assert (item.identity, item.identity_how) == ("unverified", "e-mail, not processed")
    assert item.details == {"folder": "Quarantine", "uid": 7, "reason": "size-limit"}
    assert [(e.actor, e.action, e.detail) for e in events] == [
        ("mailbox", KEPT_UNPROCESSED, {"reason": "size-limit"})
    ]
