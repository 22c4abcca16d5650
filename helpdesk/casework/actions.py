"""Every item action by name, and how one runs: in one unit of work that a refusal rolls back.

The console's item page posts to ``/items/{id}/{action}``; its view parses the form and calls
:func:`perform`, and shows :class:`~helpdesk.casework.context.Refused` as the page's error. The
confirmation step of an action that cannot be undone asks :func:`rehearse` (the action's checks,
rolled back) or :func:`preview_send` (where an export would go, by reading only).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from helpdesk.casework import (
    corrections,
    exports,
    extension,
    guests,
    knowledge_entry,
    lifecycle,
    verification,
)
from helpdesk.casework.context import CLAIM_FIRST, CaseRules, Context, Refused, holds
from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.repositories import audit, requests

Action = Callable[[Context], Awaitable[str]]

ACTIONS: dict[str, Action] = {
    "claim": lifecycle.claim,
    "release": lifecycle.release,
    "note": lifecycle.note,
    "reply": lifecycle.reply,
    "wait": lifecycle.wait,
    "resume": lifecycle.resume,
    "verify": verification.verify,
    "extend": extension.extend,
    "close": lifecycle.close,
    "export": exports.generate_export,
    "review": exports.review_export,
    "send": exports.send_export,
    "correction": corrections.correction,
    "kb": knowledge_entry.save_as_entry,
    "attach": guests.attach,
}


class NoSuchItem(LookupError):
    """The item does not exist (a stale link, a hand-typed number)."""


class _Rehearsed(Exception):
    """Raised after a rehearsal's checks passed, so that its transaction rolls back."""


async def perform(
    services: Services, rules: CaseRules, agent: Agent, item_id: int, name: str, form: dict[str, str]
) -> str:
    """Run action ``name`` on the item; returns what was done (``"claimed"``, ``"sent"``…; after an
    action that tells the resident, also how: ``"extended:email"``, ``"corrected:none"``) or raises
    :class:`Refused` (nothing written) or :class:`NoSuchItem`. A refusal worth remembering (a wrong
    personal code) is written to the audit log after the rollback."""
    try:
        return await _run(services, rules, agent, item_id, ACTIONS[name], form, rehearsal=False)
    except Refused as refused:
        if refused.audit_action:
            async with services.sessions() as db, write_transaction(db):
                await audit.record(
                    db,
                    actor=f"agent:{agent.id}",
                    action=refused.audit_action,
                    request_id=item_id,
                    now=services.clock(),
                )
        raise


async def rehearse(
    services: Services, rules: CaseRules, agent: Agent, item_id: int, name: str, form: dict[str, str]
) -> None:
    """Run the action with all its checks and roll it back: :class:`Refused` says why it would be
    refused; nothing is written or logged either way."""
    try:
        await _run(services, rules, agent, item_id, ACTIONS[name], form, rehearsal=True)
    except _Rehearsed:
        return


async def _run(
    services: Services,
    rules: CaseRules,
    agent: Agent,
    item_id: int,
    action: Action,
    form: dict[str, str],
    *,
    rehearsal: bool,
) -> str:
    async with services.sessions() as db, write_transaction(db):
        item = await requests.get(db, item_id)
        if item is None:
            raise NoSuchItem(item_id)
        done = await action(Context(db, services, rules, agent, item, form))
        if rehearsal:
            raise _Rehearsed
        return done


async def preview_send(
    services: Services, rules: CaseRules, agent: Agent, item_id: int, form: dict[str, str]
) -> exports.Sending:
    """Where sending the export would go, by reading only: the claim is checked without renewing
    it (renewing is a write), then the send's own checks, which read only. Trying the send itself
    would write the resident's files to disk."""
    async with services.sessions() as db:
        item = await requests.get(db, item_id)
        if item is None:
            raise NoSuchItem(item_id)
        if not holds(item, agent.id, services.clock()):
            raise Refused(CLAIM_FIRST)
        return await exports.plan_send(Context(db, services, rules, agent, item, form))
