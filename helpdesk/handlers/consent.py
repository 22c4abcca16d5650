"""News consent (address #2): status, withdraw in one step, give with confirmation.

Every change is a new ledger row with time, channel, evidence (the message id) and the wording
version shown (GDPR Art. 7(1): the controller must be able to demonstrate consent). Giving consent
for an address not on record is a double opt-in: a code goes to that address and only the code
confirms it. Handlers never send mail themselves; the code e-mail goes through the outbox.

Withdrawal is written here only, whatever asks for it: a resident's message on any channel
(:func:`withdraw`) or the one-click link in a news e-mail (:func:`withdraw_by_token`, RFC 8058).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from helpdesk.core.addresses import find_address, is_address
from helpdesk.core.redaction import mask_email
from helpdesk.core.secrets import confirmation_code_hmac, is_confirmation_code, new_confirmation_code
from helpdesk.core.types import Action, Awaiting, Button, Channel, Reply, ReplyKind
from helpdesk.core.unsubscribe import verify_unsubscribe_token
from helpdesk.handlers.asking import asks_about_state
from helpdesk.handlers.common import menu_buttons, not_identified
from helpdesk.handlers.consent_text import version_for
from helpdesk.handlers.context import Context
from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import audit, consent, outbox, residents
from helpdesk.storage.repositories.residents import KnownResident

ON_RECORD = "record"
#: The evidence of a withdrawal by the one-click link (its header, RFC 2369 / RFC 8058).
UNSUBSCRIBE_EVIDENCE = "list-unsubscribe"


def _evidence(ctx: Context) -> str:
    return ctx.inquiry.message_id or f"{ctx.channel}:{ctx.inquiry.sender}:{ctx.now.isoformat()}"


def _address_on_record(resident: KnownResident) -> str | None:
    return resident.news_email or resident.invoice_email


def _on_record(resident: KnownResident, address: str) -> bool:
    wanted = address.strip().lower()
    return wanted in {resident.news_email or "", resident.invoice_email or ""} - {""}


async def _resident(ctx: Context, intent: str) -> KnownResident | Reply:
    if not ctx.resident_id:
        return not_identified(ctx, intent)
    resident = await ctx.known_resident()  # the dispatcher's read, not another one
    if resident is None:
        return not_identified(ctx, intent)
    return resident


def _only_asks(ctx: Context) -> bool:
    """Free text that asks about consent ("vai man ir piekrišana?") changes nothing: the matcher
    reads it as the change itself, so the resident gets the state and a one-tap button instead.
    A button or command (an explicit action) always acts."""
    return ctx.inquiry.action is None and asks_about_state(ctx.inquiry.text)


async def _resident_to_change(ctx: Context, intent: str) -> KnownResident | Reply:
    """:func:`_resident` for a change (give, withdraw); a text that :func:`_only_asks` gets the
    state instead, as a reply of its own."""
    found = await _resident(ctx, intent)
    if isinstance(found, Reply) or not _only_asks(ctx):
        return found
    return await status(ctx)


async def status(ctx: Context) -> Reply:
    found = await _resident(ctx, Action.CONSENT_STATUS)
    if isinstance(found, Reply):
        return found
    _ = ctx._
    row = await consent.state(await ctx.connection(), found.id)
    buttons: tuple[tuple[Button, ...], ...]
    if row is not None and row.granted:
        text = _("You receive our news at {email} (since {date}).").format(
            email=mask_email(row.email or ""), date=ctx.date(row.since)
        )
        buttons = (
            (Button(_("Stop news e-mails"), Action.CONSENT_WITHDRAW),),
            (Button(_("Menu"), Action.MENU),),
        )
    else:
        text = _("You do not receive our news e-mails.")
        buttons = (
            (Button(_("Subscribe to news"), Action.CONSENT_GIVE),),
            (Button(_("Menu"), Action.MENU),),
            _another_address(ctx),
        )
    return ctx.reply(text, intent=Action.CONSENT_STATUS, buttons=buttons, personal_data=True)


def _another_address(ctx: Context) -> tuple[Button, ...]:
    """Under every offer to subscribe: news may go to an address that is not on record yet."""
    return (Button(ctx._("Use another e-mail address"), Action.CONSENT_ADDRESS),)


def _cancel(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    """The way out of a wait for an address or a code."""
    return ((Button(ctx._("Cancel"), Action.MENU),),)


async def ask_address(ctx: Context) -> Reply:
    """ "Use another e-mail address": the next typed line is that address (a code is mailed to it)."""
    found = await _resident(ctx, Action.CONSENT_ADDRESS)
    if isinstance(found, Reply):
        return found
    return ctx.reply(
        ctx._("Please write the e-mail address for news. I will send a confirmation code to it."),
        ReplyKind.QUESTION,
        intent=Action.CONSENT_ADDRESS,
        buttons=_cancel(ctx),
        awaiting=Awaiting.NEWS_ADDRESS,
    )


async def withdraw(ctx: Context) -> Reply:
    """One step, no confirmation question (withdrawing must be as easy as giving, Art. 7(3))."""
    found = await _resident_to_change(ctx, Action.CONSENT_WITHDRAW)
    if isinstance(found, Reply):
        return found
    if ctx.inquiry.identity_unverified_reason is not None:
        return _withdraw_by_link(ctx)
    await _record_withdrawal(
        await ctx.connection(),
        resident_id=found.id,
        channel=str(ctx.channel),
        evidence=_evidence(ctx),
        language=ctx.language,
        actor=ctx.actor,
        now=ctx.now,
    )
    return ctx.reply(
        ctx._("Done: you will not receive our news e-mails any more. Invoices are not affected."),
        intent=Action.CONSENT_WITHDRAW,
        buttons=menu_buttons(ctx),
    )


#: In a reply's ``extra``: the channel adds the resident's one-click unsubscribe link under it.
UNSUBSCRIBE_LINK = "unsubscribe_link"


def _withdraw_by_link(ctx: Context) -> Reply:
    """The address is on the resident's record but nothing proved this message came from it (e-mail
    without HELPDESK_TRUSTED_AUTHSERV_ID): a forged From must not end someone's consent. The answer
    goes to that address only, and the channel puts the one-click link under it, so the address's
    owner withdraws in one step."""
    text = ctx._(
        "We cannot verify that this e-mail was sent from your address, so your news subscription "
        "is unchanged."
    )
    return ctx.reply(text, ReplyKind.REFUSAL, intent=Action.CONSENT_WITHDRAW, extra={UNSUBSCRIBE_LINK: "1"})


async def withdraw_by_token(services: Services, token: str) -> bool:
    """The one-click link of a news e-mail: withdraw for the resident the token names.

    False for a forged token or an unknown resident. A second click records nothing new: the
    ledger already says "withdrawn" (GDPR Art. 7(3): withdrawing is as easy as giving).
    """
    resident_id = verify_unsubscribe_token(services.security.secret_key_bytes(), token)
    if resident_id is None:
        return False
    now = services.clock()
    async with services.sessions() as session, write_transaction(session):
        resident = await residents.get(session, resident_id)
        if resident is None:
            return False
        connection = await session.connection()
        current = await consent.state(connection, resident_id)
        if current is not None and not current.granted:
            return True
        await _record_withdrawal(
            connection,
            resident_id=resident_id,
            channel=str(Channel.EMAIL),  # the link arrived in an e-mail
            evidence=UNSUBSCRIBE_EVIDENCE,
            language=resident.language,
            actor=f"resident:{resident_id}",
            now=now,
        )
    return True


async def _record_withdrawal(
    connection: AsyncConnection,
    *,
    resident_id: str,
    channel: str,
    evidence: str,
    language: str,
    actor: str,
    now: datetime,
) -> None:
    """The ledger row and its audit entry; the new row keeps the address of the row it ends (read
    in the same INSERT)."""
    await consent.record_withdrawal(
        connection,
        resident_id=resident_id,
        channel=channel,
        evidence=evidence,
        text_version=version_for(language),
        now=now,
    )
    await audit.append(connection, actor=actor, action="consent.withdrawn", now=now)


def _consent_wording(ctx: Context) -> str:
    return ctx._(
        "We will send news about the portal and your building's services to this address. You can "
        "withdraw at any time here or with the link in every news e-mail."
    )


async def give(ctx: Context) -> Reply:
    found = await _resident_to_change(ctx, Action.CONSENT_GIVE)
    if isinstance(found, Reply):
        return found
    _ = ctx._
    requested = ctx.inquiry.args.get("email", "").strip()
    if not requested:
        requested = find_address(ctx.inquiry.text) or ""
    if requested and not is_address(requested):
        return ctx.reply(  # typed for the address: the wait goes on
            _("This does not look like an e-mail address. Please check it and try again."),
            ReplyKind.REFUSAL,
            intent=Action.CONSENT_GIVE,
            buttons=_cancel(ctx),
            awaiting=Awaiting.NEWS_ADDRESS,
        )
    if requested and not _on_record(found, requested):
        return await _send_code(ctx, found, requested.lower())
    address = requested.lower() if requested else _address_on_record(found)
    if address is not None and ctx.channel is Channel.EMAIL:
        # By e-mail there is no button to press: a code in a separate mail is the confirmation.
        return await _send_code(ctx, found, address)
    if address is None:
        return ctx.reply(
            _("Please send the e-mail address where you would like to receive news."),
            ReplyKind.QUESTION,
            intent=Action.CONSENT_GIVE,
            buttons=_cancel(ctx),
            awaiting=Awaiting.NEWS_ADDRESS,
        )
    text = _consent_wording(ctx) + "\n" + _("Send news to {email}?").format(email=mask_email(address))
    buttons = (
        (
            Button(_("Yes, send me news"), Action.CONSENT_GIVE_CONFIRM, {"email": ON_RECORD}),
            Button(_("Cancel"), Action.MENU),
        ),
    )
    return ctx.reply(
        text, ReplyKind.QUESTION, intent=Action.CONSENT_GIVE, buttons=buttons, personal_data=True
    )


def _code_hash(ctx: Context, resident_id: str, code: str) -> str:
    return confirmation_code_hmac(ctx.services.security.secret_key_bytes(), resident_id, code)


async def _send_code(ctx: Context, resident: KnownResident, address: str) -> Reply:
    code = new_confirmation_code()
    row = await consent.create_code(
        ctx.session,
        resident_id=resident.id,
        email=address,
        code_hash=_code_hash(ctx, resident.id, code),
        channel=str(ctx.channel),
        text_version=version_for(ctx.language),
        now=ctx.now,
        expires_at=ctx.now + timedelta(minutes=ctx.settings.confirmation_code_ttl_minutes),
    )
    _ = ctx._
    body = (
        _consent_wording(ctx)
        + "\n\n"
        + _("Your confirmation code: {code}").format(code=code)
        + "\n"
        + ctx.ngettext(
            "The code is valid for {minutes} minute. If you did not ask for news, ignore this e-mail.",
            "The code is valid for {minutes} minutes. If you did not ask for news, ignore this e-mail.",
            ctx.settings.confirmation_code_ttl_minutes,
        ).format(minutes=ctx.settings.confirmation_code_ttl_minutes)
    )
    await outbox.enqueue(
        ctx.session,
        channel="email",
        recipient=address,
        subject=_("Confirm your news subscription"),
        body_text=body,
        dedupe_key=f"consent-code:{row.id}",
        secret=code,  # masked in the stored body once the mail is sent
    )
    await audit.record(ctx.session, actor=ctx.actor, action="consent.code_sent", now=ctx.now)
    return ctx.reply(
        _("I sent a six-digit code to {email}. Please send the code here to confirm.").format(
            email=mask_email(address)
        ),
        ReplyKind.QUESTION,
        intent=Action.CONSENT_GIVE,
        awaiting=Awaiting.NEWS_CODE,
    )


async def confirm(ctx: Context) -> Reply:
    found = await _resident(ctx, Action.CONSENT_GIVE_CONFIRM)
    if isinstance(found, Reply):
        return found
    _ = ctx._
    args = ctx.inquiry.args
    code = args.get("code", "").strip()
    if code:
        if not is_confirmation_code(code):
            return ctx.reply(  # a typing slip: the wait for the code goes on
                _("The code has six digits. Please check it."),
                ReplyKind.REFUSAL,
                intent="consent",
                awaiting=Awaiting.NEWS_CODE,
            )
        used = await consent.redeem_code(
            ctx.session, resident_id=found.id, code_hash=_code_hash(ctx, found.id, code), now=ctx.now
        )
        if used is None:
            return ctx.reply(
                _("This code is wrong or has expired. Please check it or ask for a new one."),
                ReplyKind.REFUSAL,
                intent=Action.CONSENT_GIVE_CONFIRM,
                buttons=((Button(_("Subscribe to news"), Action.CONSENT_GIVE),), _another_address(ctx)),
                awaiting=Awaiting.NEWS_CODE,
            )
        address, text_version = used.email, used.text_version
    else:
        requested = args.get("email", ON_RECORD).strip()
        address_or_none = _address_on_record(found) if requested == ON_RECORD else requested.lower()
        if address_or_none is None or not _on_record(found, address_or_none):
            return await give(ctx)
        address, text_version = address_or_none, version_for(ctx.language)
    await consent.record(
        ctx.session,
        resident_id=found.id,
        granted=True,
        email=address,
        channel=str(ctx.channel),
        evidence=_evidence(ctx),
        text_version=text_version,
        now=ctx.now,
    )
    await residents.set_news_email(ctx.session, found.id, address)
    await audit.record(ctx.session, actor=ctx.actor, action="consent.granted", now=ctx.now)
    return ctx.reply(
        _("Thank you: we will send news to {email}. You can stop them at any time.").format(
            email=mask_email(address)
        ),
        intent=Action.CONSENT_GIVE_CONFIRM,
        buttons=menu_buttons(ctx),
    )


async def has_open_code(ctx: Context) -> bool:
    """Whether a bare code-shaped message should be read as a confirmation code (a mailed code, or a
    chat where the wait for it was left)."""
    if not ctx.resident_id:
        return False
    return await consent.has_open_code(ctx.session, resident_id=ctx.resident_id, now=ctx.now)
