"""Guest requests: an item filed by a sender the helpdesk could not identify (an address on no
record, an unlinked chat, the terminal chat) is attached to a resident by an agent.

The agent searches the residents by name, address or e-mail; the results are masked (``Jānis B.,
Brīvības iela 1-…``, ``j…@example.lv``): enough to tell the person who wrote from another resident,
little to browse with. Attaching needs the sender's identity verified first, or the personal code
they gave, checked against the chosen resident's record (then it is verified too); a data export
then goes to that resident's own linked chat or invoice address, never to the sender's. Every search
and every attach is in the audit log, with counts and ids only.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.casework.context import CLAIM_FIRST, Context, Refused, holds
from helpdesk.casework.verification import check_personal_code, mark_verified
from helpdesk.handlers.identify import masked_account
from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.models.requests import IdentityState, RequestStatus, SupportRequest
from helpdesk.storage.models.residents import Resident
from helpdesk.storage.repositories import audit, requests, residents

MIN_QUERY = 3
MAX_QUERY = 100
SHOWN = 10  # results shown; more than this asks for a narrower search


@dataclass(frozen=True, slots=True)
class Candidate:
    """One resident as the search shows them."""

    id: str
    account: str  # masked name and street
    email: str  # masked invoice address, or ""
    code_on_file: bool  # the sender's personal code can be checked against this record


@dataclass(frozen=True, slots=True)
class Found:
    query: str
    candidates: tuple[Candidate, ...]
    more: bool  # more residents match than are shown


def masked_email(address: str | None) -> str:
    """``j…@example.lv``: the first letter and the domain."""
    if not address or "@" not in address:
        return ""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}…@{domain}"


def _candidate(resident: Resident) -> Candidate:
    return Candidate(
        id=resident.id,
        account=masked_account(resident),
        email=masked_email(resident.invoice_email),
        code_on_file=resident.personal_code_hmac is not None,
    )


def _attachable(item: SupportRequest) -> None:
    if item.status == RequestStatus.CLOSED:
        raise Refused("This item is closed.")
    if item.resident_id is not None:
        raise Refused("This item already belongs to a resident.")


async def find_residents(services: Services, agent: Agent, item_id: int, query: str) -> Found:
    """The residents ``query`` names, for the agent holding the guest item; :class:`Refused` when
    the item cannot be attached or the query is too short. Logged as ``resident.searched`` with
    the number found (never the query: it holds a name or an address)."""
    query = " ".join(query.split())[:MAX_QUERY]
    async with services.sessions() as db, write_transaction(db):
        item = await requests.get(db, item_id)
        if item is None:
            raise LookupError(item_id)
        if not holds(item, agent.id, services.clock()):
            raise Refused(CLAIM_FIRST)
        _attachable(item)
        if len(query.replace(" ", "")) < MIN_QUERY:
            raise Refused(
                "Type at least {count} letters of a name, an address or an e-mail address.",
                400,
                count=MIN_QUERY,
            )
        rows = await residents.search(db, query, limit=SHOWN + 1)
        await audit.record(
            db,
            actor=f"agent:{agent.id}",
            action="resident.searched",
            request_id=item_id,
            detail={"found": len(rows[:SHOWN]), "more": len(rows) > SHOWN},
            now=services.clock(),
        )
    return Found(
        query=query, candidates=tuple(_candidate(row) for row in rows[:SHOWN]), more=len(rows) > SHOWN
    )


async def chosen(ctx: Context) -> Resident:
    """The resident the attach form names (the confirmation page shows who it is)."""
    raw = ctx.field("resident_id", 64)
    resident = await residents.get(ctx.session, raw) if raw else None
    if resident is None:
        raise Refused("Choose the resident from the search results.", 400)
    return resident


async def attach(ctx: Context) -> str:
    """Attach the guest item to the chosen resident: verified beforehand, or by the personal code
    the sender gave, checked here against that resident's record."""
    await ctx.hold()
    _attachable(ctx.item)
    resident = await chosen(ctx)
    if ctx.item.identity != IdentityState.VERIFIED:
        if not ctx.field("personal_code", 40):
            raise Refused(
                "Verify the sender's identity first, or give the personal code they told you: it is "
                "checked against the chosen resident's record."
            )
        check_personal_code(ctx, resident)
        await mark_verified(ctx, "personal_code")
    if not await requests.attach(ctx.session, request_id=ctx.item.id, resident_id=resident.id):
        raise Refused("This item already belongs to a resident.")
    ctx.item.resident_id = resident.id
    await ctx.log("request.attached", resident_id=resident.id)
    return "attached"
