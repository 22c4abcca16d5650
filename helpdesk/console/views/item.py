"""One queue item: the resident, the conversation, notes, the audit trail and the action forms."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.casework import actions
from helpdesk.casework.context import Refused, holds
from helpdesk.casework.corrections import CORRECTABLE
from helpdesk.casework.knowledge_entry import agent_answers
from helpdesk.casework.lifecycle import OUTCOMES
from helpdesk.casework.verification import VERIFY_METHODS
from helpdesk.console import confirmation, keys
from helpdesk.console.auth import signed_in
from helpdesk.console.render import actor_names, page, translator
from helpdesk.console.views.queue import fill_badge, urgency
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.models.conversations import Message
from helpdesk.storage.models.requests import RESIDENT_REPLIED, AuditEvent
from helpdesk.storage.repositories import (
    agents,
    audit,
    consent,
    conversations,
    exports,
    links,
    notes,
    requests,
    residents,
)

routes = web.RouteTableDef()

# What a finished action may announce (``?done=``); anything else in the URL is ignored.
DONE = (
    "claimed",
    "released",
    "noted",
    "replied",
    "replied_waiting",
    "waiting",
    "resumed",
    "verified",
    "extended",
    "closed",
    "exported",
    "reviewed",
    "sent",
    "corrected",
    "correction_refused",
    "kb_added",
)
# What a refused action's form gives back to the page, so the agent need not type it again: all
# its fields but the CSRF token, the reply's one-time nonce and a personal code (a secret the
# page never echoes; it is typed again).
NOT_KEPT = ("csrf", "nonce", "personal_code", "confirm")


def _item_id(request: web.Request) -> int:
    raw = request.match_info["item_id"]
    if not raw.isdigit() or len(raw) > 12:
        raise web.HTTPNotFound(text="no such item")
    return int(raw)


async def _later_answers(db: AsyncSession, events: Sequence[AuditEvent], shown: int | None) -> list[Message]:
    """Messages of the conversations in which the resident answered a waiting item, when that was
    not the item's own conversation (a conversation ends after a day of silence, and the answer to
    a question asked last week starts a new one): the agent reads the answer on the item's page."""
    later: list[Message] = []
    seen = {shown}
    for event in events:
        conversation_id = (
            (event.detail or {}).get("conversation_id") if event.action == RESIDENT_REPLIED else None
        )
        if isinstance(conversation_id, int) and conversation_id not in seen:
            seen.add(conversation_id)
            later.extend(await conversations.messages(db, conversation_id))
    return later


async def _render(
    request: web.Request,
    agent: Agent,
    item_id: int,
    *,
    error: str | None = None,
    status: int = 200,
    kept: dict[str, dict[str, str]] | None = None,
) -> web.StreamResponse:
    """The item page; ``kept``: the refused action's name and what its form held."""
    await fill_badge(request)
    services = request.app[keys.SERVICES]
    now = services.clock()
    async with services.sessions() as db:
        item = await requests.get(db, item_id)
        if item is None:
            raise web.HTTPNotFound(text="no such item")
        resident = await residents.get(db, item.resident_id) if item.resident_id else None
        conversation = await conversations.get(db, item.conversation_id) if item.conversation_id else None
        messages = list(await conversations.messages(db, conversation.id) if conversation else [])
        names = {a.id: a.display_name or a.username for a in await agents.list_all(db)}
        answers = agent_answers(messages)
        events = await audit.for_request(db, item.id)
        later = await _later_answers(db, events, item.conversation_id)
        if later:
            messages = sorted([*messages, *later], key=lambda message: (message.created_at, message.id))
        saved = [e.detail.get("entry_id", "") for e in events if e.action == "kb.entry_added" and e.detail]
        context = {
            "item": item,
            "urgency": urgency(item, now),
            "resident": resident,
            "links": await links.links_of(db, resident.id) if resident else [],
            "consent": await consent.history(db, resident.id) if resident else [],
            "messages": messages,
            "notes": await notes.for_request(db, item.id),
            "events": events,
            "kb_saved": saved,
            "exports": await exports.for_request(db, item.id),
            "names": names,
            "who": actor_names(names, translator(request)),
            "kb_answer": answers[-1] if answers else "",
            "holder": item.assignee_id
            if item.assignee_id and item.lease_expires_at and item.lease_expires_at > now
            else None,
            "mine": holds(item, agent.id, now),
            "error": error,
            "done": done if (done := request.query.get("done", "")) in DONE else "",
            "nonce": secrets.token_hex(8),
            "outcomes": OUTCOMES,
            "verify_methods": VERIFY_METHODS,
            "correctable": CORRECTABLE,
            "kept": kept or {},
            "now": now,
        }
    return page(request, "item.html", context, status=status)


@routes.get("/items/{item_id}")
async def show(request: web.Request) -> web.StreamResponse:
    agent = signed_in(request)
    return await _render(request, agent, _item_id(request))


@routes.get("/items/{item_id}/{action}")
async def after_action(request: web.Request) -> web.StreamResponse:
    """An action's address opened with GET (the language switch on a refused action's page or a
    confirmation page goes back to where it was): the item's page, not "method not allowed"."""
    signed_in(request)
    raise web.HTTPSeeOther(f"/items/{_item_id(request)}")


@routes.post("/items/{item_id}/{action}")
async def act(request: web.Request) -> web.StreamResponse:
    agent = signed_in(request)
    item_id = _item_id(request)
    name = request.match_info["action"]
    if name not in actions.ACTIONS:
        raise web.HTTPNotFound(text="no such action")
    form = {key: str(value) for key, value in (await request.post()).items() if isinstance(value, str)}
    services = request.app[keys.SERVICES]
    try:
        if confirmation.needs_confirmation(name, form):
            planned = await confirmation.plan(request, agent, item_id, name, form)
            await fill_badge(request)
            return confirmation.show(request, planned)
        done = await actions.perform(services, agent, item_id, name, form)
    except actions.NoSuchItem:
        raise web.HTTPNotFound(text="no such item") from None
    except Refused as refused:
        _ = translator(request)
        typed = {key: value for key, value in form.items() if key not in NOT_KEPT}
        return await _render(
            request,
            agent,
            item_id,
            error=_(refused.message).format(**refused.values),
            status=refused.status,
            kept={name: typed},
        )
    raise web.HTTPSeeOther(f"/items/{item_id}?done={done}")
