"""What an agent can do to a queue item. Each action checks the lease, does the work through the
repositories, tells the resident where the law or courtesy requires it, and writes the audit log.

An action raises :class:`Refused` with a message id (English, translated by the page) when it may
not happen; the view shows it and nothing was changed (the transaction is rolled back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jinja2
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.console import delivery, export
from helpdesk.console.texts import gettext
from helpdesk.core.deadlines import add_months
from helpdesk.core.ids import row_id
from helpdesk.core.importing import store_resident
from helpdesk.core.records import ResidentRecord
from helpdesk.core.secrets import personal_code_hmac
from helpdesk.core.services import Services
from helpdesk.i18n import dates
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.models.console import RequestExport
from helpdesk.storage.models.conversations import Conversation
from helpdesk.storage.models.requests import IdentityState, RequestKind, RequestStatus, SupportRequest
from helpdesk.storage.models.residents import Resident
from helpdesk.storage.repositories import audit, conversations, exports, links, notes, requests, residents

OUTCOMES = ("answered", "refused", "withdrawn", "duplicate", "no_identity")
VERIFY_METHODS = ("telegram", "email_on_record", "personal_code", "in_person", "other")
CORRECTABLE = ("name", "address", "invoice_email", "news_email", "language")
MAX_NOTE = 5000
GDPR_KINDS = (RequestKind.ACCESS, RequestKind.CORRECTION)
# Art. 12(3): "may be extended by two further months where necessary".
MAX_EXTENSION_MONTHS = 2


class Refused(Exception):
    def __init__(
        self, message: str, status: int = 409, *, audit_action: str | None = None, **values: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.values = values
        # A refusal worth remembering (a wrong personal code) is logged after the rollback.
        self.audit_action = audit_action


@dataclass(frozen=True, slots=True)
class Context:
    session: AsyncSession
    services: Services
    agent: Agent
    item: SupportRequest
    form: dict[str, str]
    environment: jinja2.Environment

    @property
    def now(self) -> datetime:
        return self.services.clock()

    @property
    def actor(self) -> str:
        return f"agent:{self.agent.id}"

    @property
    def lease(self) -> timedelta:
        return timedelta(minutes=self.services.settings.claim_lease_minutes)

    def field(self, name: str, limit: int = 2000) -> str:
        return self.form.get(name, "").strip()[:limit]

    async def log(self, action: str, **detail: Any) -> None:
        await audit.record(
            self.session,
            actor=self.actor,
            action=action,
            request_id=self.item.id,
            detail=detail,
            now=self.now,
        )

    async def hold(self) -> None:
        """The caller must hold a live claim (renewed by every action)."""
        if not await requests.renew(
            self.session, request_id=self.item.id, agent_id=self.agent.id, now=self.now, lease=self.lease
        ):
            raise Refused("Claim this item first: another agent may be working on it, or your claim expired.")

    def ref(self) -> str:
        return f"#{self.item.id}"

    async def tell_resident(self, text: str, key: str) -> str:
        _ = gettext(self.item.language)
        subject = _("Your request {ref}").format(ref=self.ref())
        try:
            return await delivery.answer(
                self.session,
                self.item,
                subject=subject,
                text=text,
                dedupe_key=f"console:{self.item.id}:{key}",
            )
        except delivery.NoChannel:
            return "none"


async def claim(ctx: Context) -> str:
    if not await requests.claim(
        ctx.session, request_id=ctx.item.id, agent_id=ctx.agent.id, now=ctx.now, lease=ctx.lease
    ):
        raise Refused("Another agent is working on this item.")
    await ctx.log("claim")
    return "claimed"


async def release(ctx: Context) -> str:
    # A closed item keeps its last assignee; releasing it must not reopen it.
    if ctx.item.status == RequestStatus.CLOSED:
        raise Refused("This item is closed.")
    if not await requests.release(ctx.session, request_id=ctx.item.id, agent_id=ctx.agent.id):
        raise Refused("You do not hold this item.")
    await ctx.log("release")
    return "released"


async def note(ctx: Context) -> str:
    text = ctx.field("text", MAX_NOTE)
    if not text:
        raise Refused("Write the note first.", 400)
    row = await notes.add(ctx.session, request_id=ctx.item.id, author=ctx.actor, text=text, now=ctx.now)
    await ctx.log("note", note_id=row.id)
    return "noted"


async def reply(ctx: Context) -> str:
    await ctx.hold()
    text = ctx.field("text", ctx.services.settings.max_text_length)
    if not text:
        raise Refused("Write the reply first.", 400)
    # The form's nonce makes a double-clicked "Send" one message: the outbox dedupes on the key,
    # and the audit log remembers the nonce so the reply is stored and logged once too.
    events = await audit.for_request(ctx.session, ctx.item.id)
    nonce = ctx.field("nonce", 64)
    if not nonce.isalnum():
        nonce = str(len(events))
    elif any(event.action == "reply" and (event.detail or {}).get("nonce") == nonce for event in events):
        return "replied"
    channel = await ctx.tell_resident(text, f"reply:{nonce}")
    if channel == "none":
        raise Refused(
            "This item came from a channel that cannot carry an answer; contact the resident otherwise."
        )
    conversation = await _conversation_of(ctx)
    await conversations.add_message(
        ctx.session, conversation, direction="out", author=ctx.actor, text=text, now=ctx.now
    )
    await ctx.log("reply", channel=channel, nonce=nonce)
    # The reply form's "wait for the resident's answer" box (ticked already on a waiting item): most
    # often the agent parks an item together with the question that asks the resident for something.
    if ctx.field("wait", 8):
        await _park(ctx)
        return "replied_waiting"
    if ctx.item.status == RequestStatus.WAITING:
        await _unpark(ctx)
    elif ctx.item.resident_replied_at is not None:
        await requests.seen_reply(ctx.session, request_id=ctx.item.id)
    return "replied"


async def _park(ctx: Context) -> None:
    if not await requests.wait(ctx.session, request_id=ctx.item.id, agent_id=ctx.agent.id, now=ctx.now):
        raise Refused("You do not hold this item.")
    # The deadline is not paused (GDPR Art. 12(3) counts from receipt); the audit row says so, for
    # whoever reads the trail when the month ends.
    await ctx.log("wait", deadline=ctx.item.deadline_at.isoformat())


async def _unpark(ctx: Context) -> None:
    if await requests.stop_waiting(ctx.session, request_id=ctx.item.id, agent_id=ctx.agent.id):
        await ctx.log("resume")


async def wait(ctx: Context) -> str:
    """Park the item until the resident answers (a question asked outside the reply form, e.g. by phone)."""
    await ctx.hold()
    await _park(ctx)
    return "waiting"


async def resume(ctx: Context) -> str:
    """Stop waiting without a message from the resident (the answer came some other way)."""
    await ctx.hold()
    if ctx.item.status != RequestStatus.WAITING:
        raise Refused("This item is not waiting for the resident.")
    await _unpark(ctx)
    return "resumed"


async def _conversation_of(ctx: Context) -> Conversation:
    """The item's stored conversation; one is opened when there is none (purged by retention, or
    an item filed without one), so the agent's reply is on the page and in a later access export."""
    if ctx.item.conversation_id is not None:
        conversation = await conversations.get(ctx.session, ctx.item.conversation_id)
        if conversation is not None:
            return conversation
    conversation = await conversations.open_for(
        ctx.session,
        channel=ctx.item.channel,
        contact=ctx.item.contact,
        resident_id=ctx.item.resident_id,
        language=ctx.item.language,
        now=ctx.now,
    )
    ctx.item.conversation_id = conversation.id  # written by the action's commit
    return conversation


async def verify(ctx: Context) -> str:
    await ctx.hold()
    method = ctx.field("method", 32)
    if method not in VERIFY_METHODS:
        raise Refused("Choose how the identity was verified.", 400)
    how = f"agent: {method}"
    if method == "personal_code":
        resident = await residents.get(ctx.session, ctx.item.resident_id) if ctx.item.resident_id else None
        if resident is None or resident.personal_code_hmac is None:
            raise Refused("No personal code is on file for this resident.", 400)
        try:
            matches = personal_code_hmac(
                ctx.services.settings.secret_key_bytes(), ctx.field("personal_code", 40)
            )
        except ValueError:
            raise Refused("That is not a personal code (11 digits).", 400) from None
        if matches != resident.personal_code_hmac:
            raise Refused(
                "The personal code does not match the one on file.", 400, audit_action="verify.failed"
            )
    else:
        detail = ctx.field("detail", 150)
        if method == "other" and not detail:
            raise Refused("Say how the identity was verified.", 400)
        if detail:
            how = f"{how}: {detail}"
    await requests.mark_verified(ctx.session, request_id=ctx.item.id, how=how)
    await ctx.log("verify", method=method)
    return "verified"


def extended_deadline(item: SupportRequest, months: int) -> datetime:
    """At most three months from receipt in all (one month plus two further months)."""
    return min(add_months(item.deadline_at, months), add_months(item.received_at, 1 + MAX_EXTENSION_MONTHS))


async def extend(ctx: Context) -> str:
    await ctx.hold()
    if ctx.item.kind not in GDPR_KINDS:
        raise Refused("Only access and correction requests have a legal deadline to extend.", 400)
    if ctx.item.extended_at is not None:
        raise Refused("The deadline has already been extended once.")
    if ctx.item.deadline_at < ctx.now:
        # Art. 12(3): the resident must be told of an extension within one month of receipt.
        raise Refused("The deadline has passed: an extension had to be announced before it.")
    months = ctx.field("months", 2)
    reason = ctx.field("reason", 1000)
    if months not in ("1", "2"):
        raise Refused("Extend by one or two months.", 400)
    if not reason:
        raise Refused("Give the reason: the resident is told it.", 400)
    deadline = extended_deadline(ctx.item, int(months))
    if not await requests.extend_deadline(
        ctx.session, request_id=ctx.item.id, deadline_at=deadline, reason=reason, now=ctx.now
    ):
        raise Refused("The deadline has already been extended once.")
    _ = gettext(ctx.item.language)
    text = _(
        "We need more time to answer your request {ref}, because: {reason}. "
        "We will answer by {date} at the latest (GDPR Art. 12(3) allows this extension)."
    ).format(ref=ctx.ref(), reason=reason, date=dates.day(deadline, ctx.item.language))
    channel = await ctx.tell_resident(text, "extend")
    await ctx.log("extend", months=int(months), deadline=deadline.isoformat(), told=channel)
    return "extended"


async def close(ctx: Context) -> str:
    await ctx.hold()
    outcome = ctx.field("outcome", 32)
    if outcome not in OUTCOMES:
        raise Refused("Choose an outcome.", 400)
    if ctx.item.kind == RequestKind.ACCESS and outcome == "answered":
        sent = [row for row in await exports.for_request(ctx.session, ctx.item.id) if row.sent_at is not None]
        if not sent:
            raise Refused("Send the reviewed export before closing an access request as answered.")
    await requests.close(ctx.session, request_id=ctx.item.id, outcome=outcome, now=ctx.now)
    await ctx.log("close", outcome=outcome)
    return "closed"


async def generate_export(ctx: Context) -> str:
    await ctx.hold()
    if ctx.item.kind != RequestKind.ACCESS or ctx.item.resident_id is None:
        raise Refused("Exports are made for access requests of a known resident.", 400)
    resident = await residents.get(ctx.session, ctx.item.resident_id)
    if resident is None:
        raise Refused("The resident record no longer exists.", 400)
    data = await export.collect(ctx.session, resident, now=ctx.now, request_id=ctx.item.id)
    row = await exports.add(
        ctx.session,
        request_id=ctx.item.id,
        resident_id=resident.id,
        created_by=ctx.actor,
        json_text=export.to_json(data),
        html_text=export.to_html(ctx.environment, data, resident.language),
        now=ctx.now,
    )
    await ctx.log("export.generated", export_id=row.id, sha256=row.sha256)
    return "exported"


async def _export_row(ctx: Context) -> Any:
    raw = ctx.field("export_id", 12)
    export_id = row_id(raw)
    row = await exports.get(ctx.session, ctx.item.id, export_id) if export_id is not None else None
    if row is None:
        raise Refused("That export does not exist.", 404)
    return row


async def review_export(ctx: Context) -> str:
    await ctx.hold()
    row = await _export_row(ctx)
    if not await exports.mark_reviewed(ctx.session, export_id=row.id, by=ctx.actor, now=ctx.now):
        raise Refused("This export has already been reviewed.")
    await ctx.log("export.reviewed", export_id=row.id)
    return "reviewed"


ALREADY_SENT = "This export has already been sent."


@dataclass(frozen=True, slots=True)
class Sending:
    """Where an export would go: the linked chat the request came from, else the invoice address."""

    export: RequestExport
    resident: Resident
    via: str  # "telegram" or "email"
    to: str  # the chat id or the e-mail address, as the confirmation page names it
    chat_id: int | None = None


async def plan_send(ctx: Context) -> Sending:
    """:func:`send_export`'s checks after the claim, by reading only (the confirmation step shows
    what it returns without writing the files): which export goes where, or :class:`Refused`."""
    row = await _export_row(ctx)
    if ctx.item.identity != IdentityState.VERIFIED:
        raise Refused("Verify the resident's identity before sending personal data.")
    if row.reviewed_at is None:
        raise Refused("Review the export before sending it.")
    resident = await residents.get(ctx.session, row.resident_id)
    if resident is None:
        raise Refused("The resident record no longer exists.", 400)
    if row.sent_at is not None:
        raise Refused(ALREADY_SENT)
    if ctx.item.channel == "telegram":
        for link in await links.links_of(ctx.session, resident.id):
            if str(link.chat_id) == ctx.item.contact:
                return Sending(row, resident, "telegram", ctx.item.contact, chat_id=link.chat_id)
    if resident.invoice_email:
        return Sending(row, resident, "email", resident.invoice_email)
    raise Refused("The resident has no linked chat and no invoice address to send to.")


async def send_export(ctx: Context) -> str:
    """Personal data go only to an identified resident: the linked chat or the invoice address."""
    await ctx.hold()
    planned = await plan_send(ctx)
    row, resident = planned.export, planned.resident
    # The plan read sent_at; marking it is the atomic check (two sends at once: one wins).
    if not await exports.mark_sent(ctx.session, export_id=row.id, via="pending", now=ctx.now):
        raise Refused(ALREADY_SENT)
    _ = gettext(resident.language)
    caption = _("A copy of your data (request {ref})").format(ref=ctx.ref())
    text = _(
        "Here is a copy of the data we hold about you, as you asked in request {ref}: as a PDF, as a web "
        "page (HTML) and in a machine-readable form (JSON)."
    ).format(ref=ctx.ref())
    documents = export.write_files(ctx.services.settings.invoice_dir, row, caption, resident.language)
    if planned.chat_id is not None:
        from helpdesk.bot.outgoing import enqueue_telegram_message

        await enqueue_telegram_message(
            ctx.session,
            chat_id=planned.chat_id,
            text=text,
            documents=documents,
            request_id=ctx.item.id,
            dedupe_key=f"console:{ctx.item.id}:export:{row.id}",
        )
    else:
        await delivery.send_email(
            ctx.session,
            to=planned.to,
            subject=caption,
            body_text=text,
            language=resident.language,
            in_reply_to=None,
            request_id=ctx.item.id,
            resident_id=resident.id,
            dedupe_key=f"console:{ctx.item.id}:export:{row.id}",
            documents=documents,
        )
    await exports.set_sent_via(ctx.session, export_id=row.id, via=planned.via)
    await ctx.log("export.sent", export_id=row.id, via=planned.via, sha256=row.sha256)
    return "sent"


async def correction(ctx: Context) -> str:
    await ctx.hold()
    if ctx.item.kind != RequestKind.CORRECTION or ctx.item.resident_id is None:
        raise Refused("Corrections are made for correction requests of a known resident.", 400)
    if ctx.item.identity != IdentityState.VERIFIED:
        raise Refused("Verify the resident's identity before changing their data.")
    resident = await residents.get(ctx.session, ctx.item.resident_id)
    if resident is None:
        raise Refused("The resident record no longer exists.", 400)
    decision = ctx.field("decision", 16)
    _ = gettext(ctx.item.language)
    if decision == "refuse":
        reason = ctx.field("reason", 1000)
        if not reason:
            raise Refused("Give the reason: the resident is told it.", 400)
        details = dict(ctx.item.details or {}) | {"correction": {"decision": "refused", "reason": reason}}
        await requests.set_details(ctx.session, request_id=ctx.item.id, details=details)
        text = _("We could not make the correction you asked for in request {ref}. Reason: {reason}").format(
            ref=ctx.ref(), reason=reason
        )
        channel = await ctx.tell_resident(text, "correction:refused")
        await ctx.log("correction.refused", told=channel)
        return "correction_refused"
    if decision != "apply":
        raise Refused("Apply or refuse the correction.", 400)
    current = {
        "name": resident.name,
        "address": resident.address,
        "invoice_email": resident.invoice_email or "",
        "news_email": resident.news_email or "",
        "language": resident.language,
    }
    wanted = {name: ctx.field(name, 300) for name in CORRECTABLE}
    changed = sorted(name for name in CORRECTABLE if wanted[name] != current[name])
    if not changed:
        raise Refused("Nothing was changed: edit the fields the resident asked to correct.", 400)
    try:
        record = ResidentRecord(
            id=resident.id, **{k: (v or None) if "email" in k else v for k, v in wanted.items()}
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise Refused(
            "Invalid value for {field}.", 400, field=".".join(str(p) for p in first["loc"])
        ) from None
    await store_resident(ctx.session, record, ctx.services.settings)  # no code given: the hash stays
    details = dict(ctx.item.details or {}) | {"correction": {"decision": "applied", "fields": changed}}
    await requests.set_details(ctx.session, request_id=ctx.item.id, details=details)
    labels = ", ".join(_("field:" + name) for name in changed)
    text = _("We have corrected your data as you asked in request {ref}: {fields}.").format(
        ref=ctx.ref(), fields=labels
    )
    channel = await ctx.tell_resident(text, "correction:applied")
    await ctx.log("correction.applied", fields=changed, told=channel)
    return "corrected"


ACTIONS = {
    "claim": claim,
    "release": release,
    "note": note,
    "reply": reply,
    "wait": wait,
    "resume": resume,
    "verify": verify,
    "extend": extend,
    "close": close,
    "export": generate_export,
    "review": review_export,
    "send": send_export,
    "correction": correction,
}
