"""One queue item: the resident, the conversation, notes, the audit trail and the action forms."""

from __future__ import annotations

import secrets

from aiohttp import web

from helpdesk.casework import actions, exchange, guests
from helpdesk.casework.context import Refused, holds
from helpdesk.casework.corrections import CORRECTABLE
from helpdesk.casework.knowledge_entry import agent_answers
from helpdesk.casework.lifecycle import OUTCOMES
from helpdesk.casework.verification import methods_for
from helpdesk.console import confirmation, keys
from helpdesk.console.auth import signed_in
from helpdesk.console.render import actor_names, page, translator
from helpdesk.console.views.queue import fill_badge, urgency
from helpdesk.core.ids import row_id
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.repositories import agents, audit, consent, exports, links, notes, requests, residents

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
    "attached",
)
# How the resident was told (``?done=extended:email``), after an action that tells them.
TOLD = ("telegram", "email", "none")
# What a refused action's form gives back to the page, so the agent need not type it again: all
# its fields but the CSRF token, the reply's one-time nonce and a personal code (a secret the
# page never echoes; it is typed again).
NOT_KEPT = ("csrf", "nonce", "personal_code", "confirm")


def _item_id(request: web.Request) -> int:
    item_id = row_id(request.match_info["item_id"])
    if item_id is None:
        raise web.HTTPNotFound(text="no such item")
    return item_id


async def _render(
    request: web.Request,
    agent: Agent,
    item_id: int,
    *,
    error: str | None = None,
    status: int = 200,
    kept: dict[str, dict[str, str]] | None = None,
    found: guests.Found | None = None,
    find_error: str = "",
) -> web.StreamResponse:
    """The item page; ``kept``: the refused action's name and what its form held; ``found``: the
    guest search's results (or ``find_error``, why there are none)."""
    await fill_badge(request)
    services = request.app[keys.SERVICES]
    now = services.clock()
    async with services.sessions() as db:
        item = await requests.get(db, item_id)
        if item is None:
            raise web.HTTPNotFound(text="no such item")
        resident = await residents.get(db, item.resident_id) if item.resident_id else None
        chats = await links.links_of(db, resident.id) if resident else []
        names = {a.id: a.display_name or a.username for a in await agents.list_all(db)}
        events = await audit.for_request(db, item.id)
        messages = await exchange.of_item(db, item, events)
        answers = agent_answers([*messages.history, *messages.own])
        saved = [e.detail.get("entry_id", "") for e in events if e.action == "kb.entry_added" and e.detail]
        done, _sep, told = request.query.get("done", "").partition(":")
        context = {
            "item": item,
            "urgency": urgency(item, now),
            "resident": resident,
            "links": chats,
            "consent": await consent.history(db, resident.id) if resident else [],
            "own": messages.own,
            "history": messages.history,
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
            "done": done if done in DONE else "",
            "told": told if done in DONE and told in TOLD else "",
            "nonce": secrets.token_hex(8),
            "outcomes": OUTCOMES,
            "verify_methods": methods_for(item, resident, chats),
            "correctable": CORRECTABLE,
            "kept": kept or {},
            "found": found,
            "finding": request.query.get("find", "")[: guests.MAX_QUERY],
            "find_error": find_error,
            "now": now,
        }
    return page(request, "item.html", context, status=status)


async def _find(request: web.Request, agent: Agent, item_id: int, query: str) -> web.StreamResponse:
    """The item page with the guest search's results (``?find=``), or why there are none."""
    try:
        found = await guests.find_residents(request.app[keys.SERVICES], agent, item_id, query)
    except LookupError:
        raise web.HTTPNotFound(text="no such item") from None
    except Refused as refused:
        message = translator(request)(refused.message).format(**refused.values)
        return await _render(request, agent, item_id, find_error=message, status=refused.status)
    return await _render(request, agent, item_id, found=found)


@routes.get("/items/{item_id}")
async def show(request: web.Request) -> web.StreamResponse:
    agent = signed_in(request)
    if "find" in request.query:
        return await _find(request, agent, _item_id(request), request.query["find"])
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
        done = await actions.perform(services, request.app[keys.CONFIG].casework, agent, item_id, name, form)
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
    # After an action that tells the resident, ``done`` also says how ("extended:email"), and the
    # page says so, or that nothing could be sent.
    raise web.HTTPSeeOther(f"/items/{item_id}?done={done}")
