"""The second step of an item action that cannot be undone: closing the item, sending a data export,
attaching a guest's item to a resident.

Every console form works without JavaScript, so the "are you sure?" is the server's: the first POST
(without ``confirm=1``) answers with a page that says what will happen, with Confirm and Back, and
only the POST from that page acts. Both steps carry the CSRF token (the middleware checks it) and
both check the claim. The first step writes nothing, so the audit log has only the real action:
closing is rehearsed (:func:`helpdesk.casework.actions.rehearse`: the action's own checks, rolled
back); sending is previewed (:func:`helpdesk.casework.actions.preview_send`, the read-only part of
the action that says what goes where), because trying it would write the resident's files to disk.
With JavaScript the button's ``data-confirm`` asks in the page instead, and the form goes with
``confirm=1``. Attaching with the personal code the sender gave asks nothing: the code, checked
against the chosen resident's record, is the confirmation (and a secret no page carries on).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web

from helpdesk.casework import actions
from helpdesk.console import keys
from helpdesk.console.render import page
from helpdesk.handlers.identify import masked_account
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.models.console import RequestExport
from helpdesk.storage.models.requests import SupportRequest
from helpdesk.storage.models.residents import Resident
from helpdesk.storage.repositories import requests, residents

# The actions that ask first; what each carries from the first step to the second.
CONFIRMED = {"close": ("outcome",), "send": ("export_id",), "attach": ("resident_id",)}


@dataclass(frozen=True, slots=True)
class Plan:
    """What the confirmation page says will happen."""

    action: str
    item: SupportRequest
    resident: Resident | None
    carried: dict[str, str] = field(default_factory=dict)
    export: RequestExport | None = None
    via: str = ""  # where an export goes: "telegram" or "email"
    to: str = ""  # the linked chat or the e-mail address
    account: str = ""  # the resident a guest item would be attached to, masked


def needs_confirmation(action: str, form: dict[str, str]) -> bool:
    if action == "attach" and form.get("personal_code", "").strip():
        return False
    return action in CONFIRMED and form.get("confirm") != "1"


async def plan(request: web.Request, agent: Agent, item_id: int, action: str, form: dict[str, str]) -> Plan:
    """What the action would do, or :class:`~helpdesk.casework.context.Refused` with the reason it
    would be refused."""
    services, rules = request.app[keys.SERVICES], request.app[keys.CONFIG].casework
    carried = {name: form.get(name, "")[:64] for name in CONFIRMED[action]}
    if action == "send":
        sending = await actions.preview_send(services, rules, agent, item_id, form)
        return Plan(
            action=action,
            item=await _item(request, item_id),
            resident=sending.resident,
            carried=carried,
            export=sending.export,
            via=sending.via,
            to=sending.to,
        )
    await actions.rehearse(services, rules, agent, item_id, action, form)
    item = await _item(request, item_id)
    async with services.sessions() as db:
        if action == "attach":  # the rehearsal found the chosen resident
            chosen = await residents.get(db, carried["resident_id"])
            assert chosen is not None
            return Plan(action, item, chosen, carried, account=masked_account(chosen))
        resident = await residents.get(db, item.resident_id) if item.resident_id else None
    return Plan(action=action, item=item, resident=resident, carried=carried)


async def _item(request: web.Request, item_id: int) -> SupportRequest:
    async with request.app[keys.SERVICES].sessions() as db:
        item = await requests.get(db, item_id)
    if item is None:
        raise web.HTTPNotFound(text="no such item")
    return item


def show(request: web.Request, planned: Plan) -> web.StreamResponse:
    return page(request, "confirm.html", {"plan": planned})
