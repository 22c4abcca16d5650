"""The second step of an item action that cannot be undone: closing the item, sending a data export.

Every console form works without JavaScript, so the "are you sure?" is the server's: the first POST
(without ``confirm=1``) answers with a page that says what will happen, with Confirm and Back, and
only the POST from that page acts. Both steps carry the CSRF token (the middleware checks it) and
both check the claim. The first step writes nothing, so the audit log has only the real action:
closing is tried with the action's own checks in a transaction that is rolled back; sending is
checked by :func:`~helpdesk.console.actions.plan_send`, the read-only part of the action that says
what goes where, because trying it would write the resident's files to disk. With JavaScript the
button's ``data-confirm`` asks in the page instead, and the form goes with ``confirm=1``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.console import keys
from helpdesk.console.actions import Context, Refused, plan_send
from helpdesk.console.render import page
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.models.console import RequestExport
from helpdesk.storage.models.requests import RequestStatus, SupportRequest
from helpdesk.storage.models.residents import Resident
from helpdesk.storage.repositories import requests, residents

# The actions that ask first; what each carries from the first step to the second.
CONFIRMED = {"close": ("outcome",), "send": ("export_id",)}
CLAIM_FIRST = "Claim this item first: another agent may be working on it, or your claim expired."


class Tried(Exception):
    """Raised after a successful trial run, so that its transaction rolls back."""


class Trial(Protocol):
    """The view's run of the action: ``trial=True`` raises :class:`Tried` instead of committing."""

    async def __call__(self, *, trial: bool = ...) -> str: ...


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


def needs_confirmation(action: str, form: dict[str, str]) -> bool:
    return action in CONFIRMED and form.get("confirm") != "1"


async def _try(trial: Trial) -> None:
    """Run the action with its own checks (for closing: the claim, the outcome, an access request's
    sent export) and roll it back: the page asks only what would succeed, and nothing is written
    or logged."""
    try:
        await trial(trial=True)
    except Tried:
        return


def _holds(item: SupportRequest, agent: Agent, request: web.Request) -> bool:
    now = request.app[keys.SERVICES].clock()
    return (
        item.status != RequestStatus.CLOSED
        and item.assignee_id == agent.id
        and item.lease_expires_at is not None
        and item.lease_expires_at > now
    )


async def plan(
    request: web.Request, agent: Agent, item_id: int, action: str, form: dict[str, str], *, trial: Trial
) -> Plan:
    """What the action would do, or :class:`Refused` with the reason it would be refused."""
    if action == "close":
        await _try(trial)
    services = request.app[keys.SERVICES]
    async with services.sessions() as db:
        item = await requests.get(db, item_id)
        if item is None:
            raise web.HTTPNotFound(text="no such item")
        resident = await residents.get(db, item.resident_id) if item.resident_id else None
        carried = {name: form.get(name, "")[:32] for name in CONFIRMED[action]}
        if action == "close":
            return Plan(action=action, item=item, resident=resident, carried=carried)
        # Sending: the claim by reading (holding it renews the lease, a write), then the action's own
        # checks, which read only.
        if not _holds(item, agent, request):
            raise Refused(CLAIM_FIRST)
        sending = await plan_send(action_context(request, db, agent, item, form))
        return Plan(
            action=action,
            item=item,
            resident=sending.resident,
            carried=carried,
            export=sending.export,
            via=sending.via,
            to=sending.to,
        )


def action_context(
    request: web.Request, db: AsyncSession, agent: Agent, item: SupportRequest, form: dict[str, str]
) -> Context:
    """What an item action runs with, for this request: the action itself (views/item.py) and its
    confirmation step's read-only checks build it the same way."""
    return Context(
        session=db,
        services=request.app[keys.SERVICES],
        agent=agent,
        item=item,
        form=form,
        environment=request.app[keys.TEMPLATES],
    )


def show(request: web.Request, planned: Plan) -> web.StreamResponse:
    return page(request, "confirm.html", {"plan": planned})
