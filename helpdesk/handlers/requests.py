"""Data-subject requests: access (GDPR Art. 15) and correction (Art. 16) as queue items.

The deadline is one calendar month from receipt (Art. 12(3)). Identity counts as verified only when
the channel proved it (a linked Telegram chat, an e-mail from the address on record); otherwise the
request is filed as unverified and an agent checks identity before sending any personal data.
"""

from __future__ import annotations

import re
from dataclasses import replace

from helpdesk.core.deadlines import gdpr_deadline
from helpdesk.core.matching import Decision
from helpdesk.core.redaction import redact
from helpdesk.core.types import Action, Awaiting, Button, Channel, Reply, ReplyKind
from helpdesk.handlers import followup, reading, refusals
from helpdesk.handlers.context import Context
from helpdesk.storage.models.requests import IdentityState, RequestKind, RequestStatus, SupportRequest
from helpdesk.storage.repositories import audit, requests

_KINDS = {"access": RequestKind.ACCESS, "correction": RequestKind.CORRECTION}

#: A reply that asks what to correct awaits :attr:`Awaiting.CORRECTION_DETAILS` for its
#: ``request_id``: the dispatcher sends the resident's next typed message here as
#: :attr:`Action.CORRECTION_DETAILS` with ``args["request"]``, so it joins that request instead of
#: becoming a question of its own. A button or a command instead ends the collection.
#: Where details that came after the summary was written are kept (``SupportRequest.details``),
#: beside the console's ``correction`` decision.
DETAILS_KEY = "from_resident"
_REQUEST_ID = re.compile(r"[0-9]{1,12}")
# What a corrected detail looks like in any of our languages: a number (a code, a house, a phone),
# an e-mail address, or a capitalised word inside a sentence (a name, a street; not "I").
_DETAIL = re.compile(r"[0-9@]|(?<![.!?]\s)(?<!^)\b[A-ZĀČĒĢĪĶĻŅŠŪŽА-ЯЁ][\w-]+", re.MULTILINE)


def holds_details(text: str) -> bool:
    """Whether a correction request's text says what the data should be ("my surname is now
    Ozola", "new e-mail: liga@example.lv"), not merely that something changed ("mans uzvārds ir
    mainījies, izlabojiet datus"): then the next message is asked for, and joins the request."""
    return bool(_DETAIL.search(text.strip()))


def _ask_details(ctx: Context) -> str:
    return ctx._("Please also tell us what is wrong and what it should be.")


def _way_out(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    """The button under a reply that waits for the details: pressing it ends the wait."""
    return ((Button(ctx._("Menu"), Action.MENU),),)


def _identity(ctx: Context) -> tuple[IdentityState, str | None]:
    # A resident named by an address nothing proved (identify.UNPROVEN) is not verified either.
    if ctx.resident_id and ctx.inquiry.identity_unverified_reason is None:
        how = {
            Channel.TELEGRAM: "telegram: linked chat",
            Channel.EMAIL: "email: address on record",
            Channel.CHAT: "terminal chat (operator)",
            Channel.CONSOLE: "agent console",
        }[ctx.channel]
        return IdentityState.VERIFIED, how
    return IdentityState.UNVERIFIED, ctx.inquiry.identity_unverified_reason or "sender not identified"


async def file(ctx: Context, kind: RequestKind) -> Reply:
    _ = ctx._
    contact = ctx.inquiry.reply_to or ctx.inquiry.sender
    intent = Action.ACCESS_REQUEST if kind is RequestKind.ACCESS else Action.CORRECTION_REQUEST
    existing = await requests.find_open(ctx.session, kind=kind, resident_id=ctx.resident_id, contact=contact)
    if existing is not None:
        said = ctx.inquiry.text.strip()[: ctx.settings.max_text_length]
        added = kind is RequestKind.CORRECTION and bool(said)
        if added:
            # Asked again with what to correct ("Фамилия с ошибкой"): it goes with the open request.
            await _add_text(ctx, existing, said)
        resumed = await followup.resident_wrote(ctx, existing)
        if resumed or added:
            # Asked again while an agent waits for them: most likely the answer (the proof, the
            # missing detail), so it goes back to the agent rather than being turned away.
            text = followup.joined(ctx, existing)
        else:
            text = _("You already have an open request {ref}. We will answer by {date}.").format(
                ref=f"#{existing.id}", date=ctx.date(existing.deadline_at)
            )
        awaiting = None
        if kind is RequestKind.CORRECTION and not holds_details(existing.summary) and not holds_details(said):
            # Neither the first time nor now did the resident say what it should be: ask again.
            text += "\n" + _ask_details(ctx)
            awaiting = Awaiting.CORRECTION_DETAILS
        buttons = _way_out(ctx) if awaiting else ()
        return ctx.reply(text, intent=intent, request_id=existing.id, awaiting=awaiting, buttons=buttons)
    received = ctx.inquiry.received_at or ctx.now
    identity, how = _identity(ctx)
    item = await requests.create(
        ctx.session,
        kind=kind,
        channel=str(ctx.channel),
        contact=contact,
        received_at=received,
        deadline_at=gdpr_deadline(received),
        resident_id=ctx.resident_id,
        conversation_id=ctx.conversation_id,
        language=ctx.language,
        # Whole, as the conversation keeps it (free text is refused past max_text_length).
        summary=ctx.inquiry.text[: ctx.settings.max_text_length],
        identity=identity,
        identity_how=how,
        external_ref=ctx.inquiry.message_id,
    )
    await audit.record(
        ctx.session, actor=ctx.actor, action="request.created", request_id=item.id, detail={"kind": str(kind)}
    )
    if kind is RequestKind.ACCESS:
        text = _("Your request for a copy of your data is registered as {ref}.")
    else:
        text = _("Your request to correct your data is registered as {ref}.")
    text = text.format(ref=f"#{item.id}") + " "
    text += _("We will answer by {date} at the latest (within one month, as the GDPR requires).").format(
        date=ctx.date(item.deadline_at)
    )
    awaiting = None
    if kind is RequestKind.CORRECTION and not holds_details(ctx.inquiry.text):
        text += "\n" + _ask_details(ctx)
        awaiting = Awaiting.CORRECTION_DETAILS
    if identity is IdentityState.UNVERIFIED:
        text += "\n" + _(
            "Before we send or change any personal data, we will need to confirm that you are the "
            "account holder; a support agent will contact you."
        )
    buttons = _way_out(ctx) if awaiting else ()
    return ctx.reply(text, intent=intent, request_id=item.id, awaiting=awaiting, buttons=buttons)


async def _awaited_correction(ctx: Context) -> SupportRequest | None:
    """The correction request ``args["request"]`` names, if it is still open and this person's (the
    same rule as :func:`requests.find_open`: the resident, or else the same contact)."""
    raw = ctx.inquiry.args.get("request", "")
    if not _REQUEST_ID.fullmatch(raw):
        return None
    item = await requests.get(ctx.session, int(raw))
    if item is None or item.kind != RequestKind.CORRECTION or item.status == RequestStatus.CLOSED:
        return None
    if ctx.resident_id is not None:
        return item if item.resident_id == ctx.resident_id else None
    return item if item.contact == (ctx.inquiry.reply_to or ctx.inquiry.sender) else None


async def _add_text(ctx: Context, item: SupportRequest, text: str) -> None:
    """What the resident says should be corrected, added to ``item``: its summary if it has none,
    else appended to its details (the console shows both; the conversation keeps every message)."""
    if not item.summary.strip():
        item.summary = redact(text)
        added_to = "summary"
    else:
        details = dict(item.details or {})
        earlier = list(details.get(DETAILS_KEY) or [])
        details[DETAILS_KEY] = [*earlier, {"at": ctx.now.isoformat(), "text": redact(text)}]
        item.details = details
        added_to = "details"
    await audit.record(
        ctx.session,
        actor=ctx.actor,
        action="request.details_added",
        request_id=item.id,
        now=ctx.now,
        # Ids only: the text is in the request and in the conversation.
        detail={"to": added_to, "channel": str(ctx.channel), "conversation_id": ctx.conversation_id},
    )


def _own_path(ctx: Context) -> bool:
    """Whether the message awaited as details is a new intent instead: an action other than the
    correction ("atsūtiet rēķinu", "I want a person"), or a question the knowledge base answers
    ("kā iesniegt rādījumus?"). A name, an address or "mans uzvārds ir Ozola" is neither.

    Read without choosing the reply's language (``reading.peek``): a new intent is read again, as
    typed, by the dispatcher."""
    text = ctx.inquiry.text
    for part in reading.peek(ctx).parts:
        if part.decision is not Decision.ANSWER or not part.entry:
            continue
        if part.entry != "action:correction-request" and (part.entry.startswith("action:") or "?" in text):
            return True
    return False


async def add_details(ctx: Context) -> Reply | None:
    """The message after "what is wrong and what it should be?" goes with that correction request.

    It is added as :func:`_add_text` says, the audit log says so (ids only), and a request that was
    waiting for the resident goes back to the agents. ``None`` when the request is
    gone (closed meanwhile, not this person's) or the message is a path of its own (:func:`_own_path`):
    the dispatcher then reads the message as typed text.
    """
    item = await _awaited_correction(ctx)
    if item is None or _own_path(ctx):
        return None
    text = ctx.inquiry.text.strip()
    if len(text) > ctx.settings.max_text_length:
        too_long = await refusals.too_long(ctx)
        # Still collecting: shortened, it is the answer.
        return replace(
            too_long, request_id=item.id, awaiting=Awaiting.CORRECTION_DETAILS, buttons=_way_out(ctx)
        )
    if not text:
        return ctx.reply(
            _ask_details(ctx),
            ReplyKind.QUESTION,
            intent=Action.CORRECTION_DETAILS,
            request_id=item.id,
            awaiting=Awaiting.CORRECTION_DETAILS,
            buttons=_way_out(ctx),
        )
    await _add_text(ctx, item, text)
    await followup.resident_wrote(ctx, item)
    return ctx.reply(followup.joined(ctx, item), intent=Action.CORRECTION_DETAILS, request_id=item.id)


# Free text this short ("dati", "мои данные") says what it is about, not that the resident asks for
# a formal request: filing one starts a legal deadline and an agent's work, so it is asked first.
_FEWEST_WORDS_TO_FILE = 3


def _too_short_to_file(ctx: Context) -> bool:
    """A one- or two-word message matched to a request, on a channel that can show buttons.

    A mail is a written request however short, and is filed as it is (an e-mail reader has no
    buttons to press).
    """
    if ctx.inquiry.action is not None or ctx.channel is Channel.EMAIL:
        return False
    return len(ctx.inquiry.text.split()) < _FEWEST_WORDS_TO_FILE


async def access(ctx: Context) -> Reply:
    if _too_short_to_file(ctx):
        return await offer(ctx)
    return await file(ctx, RequestKind.ACCESS)


async def correction(ctx: Context) -> Reply:
    if _too_short_to_file(ctx):
        return await offer(ctx)
    return await file(ctx, RequestKind.CORRECTION)


async def offer(ctx: Context) -> Reply:
    """The menu's "My data" asks which request is meant: pressing a menu button must not file an Art. 15
    request by itself (it starts a legal deadline and an agent's work)."""
    _ = ctx._
    buttons = (
        (Button(_("Request a copy of my data"), Action.REQUEST_CONFIRM, {"kind": "access"}),),
        (Button(_("Correct my data"), Action.REQUEST_CONFIRM, {"kind": "correction"}),),
        (Button(_("Menu"), Action.MENU),),
    )
    text = _(
        "You can ask for a copy of the personal data we hold about you, or ask us to correct it. "
        "We answer within one month."
    )
    return ctx.reply(text, ReplyKind.QUESTION, intent="request", buttons=buttons, navigation=True)


async def confirm(ctx: Context) -> Reply:
    """A choice from :func:`offer` (``kind``); with no kind at all, the choice itself."""
    if not ctx.inquiry.args.get("kind"):
        return await offer(ctx)
    kind = _KINDS.get(ctx.inquiry.args.get("kind", ""))
    if kind is None:
        return ctx.reply(
            ctx._("Sorry, I did not understand that choice."), ReplyKind.REFUSAL, intent="request"
        )
    return await file(ctx, kind)
