"""Who is writing: Telegram links (redeem a portal link token, confirm, unlink) and the rule for a
sender known by an address (e-mail): :func:`by_address`.

The portal mints a one-time token after the resident logged in with eID or a bank; the bot receives
it as ``/start <token>``. Redemption is two steps on purpose: the bot first shows the masked account
and binds only after the person presses Confirm, so a forwarded or leaked link shown to a stranger
links nothing unless that stranger claims someone else's name and address. The Confirm button keeps
the token's SHA-256 in the conversation's offered choices (the token itself is stored nowhere); who a
Telegram user is comes from their link, read with the conversation by the dispatcher.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from helpdesk.core.secrets import sha256_hex
from helpdesk.core.types import Action, Button, Channel, Reply, ReplyKind
from helpdesk.handlers.common import menu_buttons
from helpdesk.handlers.context import Context
from helpdesk.storage.models.residents import Resident
from helpdesk.storage.repositories import audit, links, residents

_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")
FAILED_LINK = "link.failed"


#: Why an address on record proves nothing when the channel has no check of it at all (e-mail
#: without HELPDESK_TRUSTED_AUTHSERV_ID): the resident is named, the identity is unproven.
UNPROVEN = "sender address not verified"


@dataclass(frozen=True, slots=True)
class AddressIdentity:
    """Who wrote from an address: ``resident_id`` when the address is on one resident's record,
    and ``unverified_reason`` when that is not proven (an access or correction request from this
    sender is queued "identity unverified" with that reason).

    Both set is an *unproven* identity: the channel could not check the address at all. It may
    still get what goes only to the resident's own addresses (answers to the address on record,
    documents in a new mail to the invoice address, a consent code to the address it names), but
    never changes made for the resident on its word alone: the handlers do not withdraw news
    consent for it (they answer with the one-click link, which only the address on record
    receives), and its access and correction requests are queued unverified.
    """

    resident_id: str | None
    unverified_reason: str | None
    language: str | None = None
    invoice_email: str | None = None


def by_address(
    on_record: Sequence[Resident], proof_failure: str | None, *, checked: bool = True
) -> AddressIdentity:
    """The one rule for a sender known by an address: the resident whose record holds it.

    ``on_record`` is every resident with the address on record (the caller reads them, for a batch
    at once); ``proof_failure`` is why the channel's own check of the sender failed (for e-mail,
    our MTA's Authentication-Results), or None. An address on two records cannot tell whose invoice
    to send, so it identifies nobody; neither does an address whose proof failed, since the address
    alone is trivially forged. ``checked`` is False when the channel has no check at all: the
    resident is named, unproven (:data:`UNPROVEN`). The language of a single match is kept for the
    answer either way.
    """
    if not on_record:
        return AddressIdentity(None, "address not on any resident's record")
    if len(on_record) > 1:
        return AddressIdentity(None, "address on several residents' records")
    resident = on_record[0]
    if not checked:
        return AddressIdentity(
            resident.id, UNPROVEN, language=resident.language, invoice_email=resident.invoice_email
        )
    if proof_failure is not None:
        return AddressIdentity(None, f"authentication failed: {proof_failure}", language=resident.language)
    return AddressIdentity(
        resident.id, None, language=resident.language, invoice_email=resident.invoice_email
    )


def masked_account(resident: Resident) -> str:
    """``Jānis B., Brīvības iela 1-…``: enough for the owner to recognise, little for anyone else."""
    parts = resident.name.split()
    name = f"{parts[0]} {parts[-1][:1]}." if len(parts) >= 2 else "".join(parts)[:1] + "…"
    street = resident.address.split(",", 1)[0].strip()
    if "-" in street:
        street = street.split("-", 1)[0] + "-…"
    elif street:
        street += ", …"
    return f"{name}, {street}" if street else name


def _channel_refusal(ctx: Context) -> Reply | None:
    """Tokens are accepted only in a private Telegram chat (never a group, never e-mail)."""
    if ctx.channel is not Channel.TELEGRAM or ctx.inquiry.args.get("chat_type") != "private":
        return ctx.reply(
            ctx._("For your safety, account links work only in a private chat with the bot."),
            ReplyKind.REFUSAL,
            intent="link",
        )
    return None


async def _rate_limited(ctx: Context) -> bool:
    since = ctx.now - timedelta(hours=1)
    failures = await audit.count_since(ctx.session, actor=ctx.actor, action=FAILED_LINK, since=since)
    return failures >= ctx.settings.link_failures_per_hour


async def _refuse_token(ctx: Context, reason: str) -> Reply:
    await audit.record(
        ctx.session, actor=ctx.actor, action=FAILED_LINK, detail={"reason": reason}, now=ctx.now
    )
    _ = ctx._
    texts = {
        "forged": _("This link is not valid. Please open a new link from Klientiem.lv or MansDzib.lv."),
        "used": _("This link has already been used. Please open a new link from the portal."),
        "expired": _("This link has expired. Please open a new link from the portal."),
    }
    return ctx.reply(texts[reason], ReplyKind.REFUSAL, intent="link")


def _token_hash(ctx: Context) -> str | None:
    """The SHA-256 of the token this inquiry presents: the token itself (``/start <token>``), or the
    hash the Confirm button kept, which counts only when it comes from this conversation's offer
    (a resolved choice), never from what a client sent."""
    args = ctx.inquiry.args
    if ctx.inquiry.choice is not None and "token_hash" in args:
        return args["token_hash"]
    token = args.get("token", "").strip()
    return sha256_hex(token) if _TOKEN_SHAPE.fullmatch(token) else None


async def _token_problem(ctx: Context, digest: str | None) -> str | None:
    if digest is None:
        return "forged"
    row = await links.find_hash(ctx.session, digest)
    if row is None:
        return "forged"
    if row.used_at is not None:
        return "used"
    if row.expires_at <= ctx.now:
        return "expired"
    return None


def _telegram_ids(ctx: Context) -> tuple[int, int] | None:
    try:
        user_id = int(ctx.inquiry.sender)
        chat_id = int(ctx.inquiry.reply_to or ctx.inquiry.sender)
    except ValueError:
        return None
    return user_id, chat_id


async def _not_here_or_not_now(ctx: Context) -> Reply | None:
    """Both steps: a private Telegram chat only, and not after too many invalid links this hour."""
    refusal = _channel_refusal(ctx)
    if refusal is None and await _rate_limited(ctx):
        refusal = ctx.reply(
            ctx._("Too many invalid links. Please wait an hour and open a new link from the portal."),
            ReplyKind.REFUSAL,
            intent="link",
        )
    return refusal


async def _valid_token(ctx: Context) -> str | Reply:
    """Both steps: the SHA-256 of the valid token this inquiry presents, or the refusal."""
    refusal = await _not_here_or_not_now(ctx)
    if refusal:
        return refusal
    digest = _token_hash(ctx)
    problem = await _token_problem(ctx, digest)
    if problem or digest is None:
        return await _refuse_token(ctx, problem or "forged")
    return digest


async def redeem(ctx: Context) -> Reply:
    """Step 1: check the token and show whose account it would link, with Confirm / Cancel."""
    digest = await _valid_token(ctx)
    if isinstance(digest, Reply):
        return digest
    _ = ctx._
    row = await links.find_hash(ctx.session, digest)
    assert row is not None
    resident = await residents.get(ctx.session, row.resident_id)
    if resident is None:
        return await _refuse_token(ctx, "forged")
    text = _("Link this Telegram account to {account}? Confirm only if this is your account.").format(
        account=masked_account(resident)
    )
    buttons = (
        (
            Button(_("Confirm"), Action.LINK_CONFIRM, {"token_hash": digest}),
            Button(_("Cancel"), Action.LINK_CANCEL),
        ),
    )
    return ctx.reply(text, ReplyKind.QUESTION, intent="link.redeem", buttons=buttons, resident_id=None)


async def confirm(ctx: Context) -> Reply:
    """Step 2: consume the token (one conditional UPDATE: a race cannot bind twice) and link."""
    digest = await _valid_token(ctx)
    if isinstance(digest, Reply):
        return digest
    _ = ctx._
    ids = _telegram_ids(ctx)
    if ids is None:
        return await _refuse_token(ctx, "forged")
    user_id, chat_id = ids
    resident_id = await links.consume_hash(ctx.session, digest, used_by=f"telegram:{user_id}", now=ctx.now)
    if resident_id is None:  # lost the race to a concurrent confirmation
        return await _refuse_token(ctx, "used")
    await links.bind(
        ctx.session,
        resident_id=resident_id,
        telegram_user_id=user_id,
        chat_id=chat_id,
        language=ctx.language,
        now=ctx.now,
    )
    await audit.record(ctx.session, actor=f"telegram:{user_id}", action="link.bound", now=ctx.now)
    text = _("Done: this chat is linked to your account. You can ask for invoices and manage news here.")
    return ctx.reply(
        text, intent="link.confirm", resident_id=resident_id, buttons=menu_buttons(ctx), extra={"linked": "1"}
    )


async def cancel(ctx: Context) -> Reply:
    return ctx.reply(ctx._("Nothing was linked."), intent="link.cancel", resident_id=None)


async def unlink(ctx: Context) -> Reply:
    _ = ctx._
    if ctx.channel is not Channel.TELEGRAM or not ctx.resident_id:
        return ctx.reply(_("This chat is not linked to an account."), ReplyKind.REFUSAL, intent="unlink")
    buttons = ((Button(_("Unlink"), Action.UNLINK_CONFIRM), Button(_("Cancel"), Action.MENU)),)
    return ctx.reply(
        _("Unlink this chat from your account? You can link it again from the portal."),
        ReplyKind.QUESTION,
        intent="unlink",
        buttons=buttons,
    )


async def unlink_confirm(ctx: Context) -> Reply:
    _ = ctx._
    ids = _telegram_ids(ctx)
    if ctx.channel is not Channel.TELEGRAM or ids is None:
        return ctx.reply(_("This chat is not linked to an account."), ReplyKind.REFUSAL, intent="unlink")
    removed = await links.unbind(ctx.session, ids[0])
    if removed:
        await audit.record(ctx.session, actor=ctx.actor, action="link.unbound", now=ctx.now)
        return ctx.reply(
            _("This chat is no longer linked to your account."),
            intent="unlink.confirm",
            resident_id=None,
            extra={"unlinked": "1"},
        )
    return ctx.reply(_("This chat is not linked to an account."), ReplyKind.REFUSAL, intent="unlink")
