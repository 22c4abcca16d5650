"""Verifying who the resident is before personal data are sent or changed (GDPR Art. 12(6)).

The agent records how: the linked Telegram chat, the address on record, the personal code (checked
against its keyed hash, never stored in full), in person, or otherwise with a word on how. A way
that cannot apply to the item (a personal code when no resident, or no code, is on file) is neither
offered nor accepted. A wrong personal code is refused and remembered in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence

from helpdesk.casework.context import Context, Refused
from helpdesk.core.secrets import personal_code_hmac
from helpdesk.storage.models.requests import SupportRequest
from helpdesk.storage.models.residents import Resident, TelegramLink
from helpdesk.storage.repositories import links, requests, residents

VERIFY_METHODS = ("telegram", "email_on_record", "personal_code", "in_person", "other")


def methods_for(
    item: SupportRequest, resident: Resident | None, chats: Sequence[TelegramLink]
) -> tuple[str, ...]:
    """The ways of verifying that can apply to this item: the linked chat only for a message from a
    chat linked to its resident, the address on record only for a mail from an address on the
    resident's record, the personal code only against a code on file; in person and otherwise always."""
    usable = {"in_person", "other"}
    if resident is not None:
        if item.channel == "telegram" and any(str(link.chat_id) == item.contact for link in chats):
            usable.add("telegram")
        on_record = {(resident.invoice_email or "").lower(), (resident.news_email or "").lower()} - {""}
        if item.channel == "email" and item.contact.lower() in on_record:
            usable.add("email_on_record")
        if resident.personal_code_hmac is not None:
            usable.add("personal_code")
    return tuple(method for method in VERIFY_METHODS if method in usable)


def check_personal_code(ctx: Context, resident: Resident) -> None:
    """The code the agent typed (``personal_code``) is the one on the resident's record, or
    :class:`Refused` (a mismatch is written to the audit log after the rollback)."""
    if resident.personal_code_hmac is None:
        raise Refused("No personal code is on file for this resident.", 400)
    try:
        given = personal_code_hmac(ctx.services.security.secret_key_bytes(), ctx.field("personal_code", 40))
    except ValueError:
        raise Refused("That is not a personal code (11 digits).", 400) from None
    if given != resident.personal_code_hmac:
        raise Refused("The personal code does not match the one on file.", 400, audit_action="verify.failed")


async def mark_verified(ctx: Context, method: str, detail: str = "") -> None:
    how = f"agent: {method}: {detail}" if detail else f"agent: {method}"
    await requests.mark_verified(ctx.session, request_id=ctx.item.id, how=how)
    ctx.item.identity = "verified"
    await ctx.log("verify", method=method)


async def verify(ctx: Context) -> str:
    await ctx.hold()
    method = ctx.field("method", 32)
    if method not in VERIFY_METHODS:
        raise Refused("Choose how the identity was verified.", 400)
    resident = await residents.get(ctx.session, ctx.item.resident_id) if ctx.item.resident_id else None
    chats = await links.links_of(ctx.session, resident.id) if resident else []
    if method not in methods_for(ctx.item, resident, chats):
        if method == "personal_code":
            raise Refused("No personal code is on file for this resident.", 400)
        raise Refused("That way of verifying does not apply to this item.", 400)
    detail = ""
    if method == "personal_code":
        assert resident is not None  # methods_for offers the code only against a resident's record
        check_personal_code(ctx, resident)
    else:
        detail = ctx.field("detail", 150)
        if method == "other" and not detail:
            raise Refused("Say how the identity was verified.", 400)
    await mark_verified(ctx, method, detail)
    return "verified"
