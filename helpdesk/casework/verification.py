"""Verifying who the resident is before personal data are sent or changed (GDPR Art. 12(6)).

The agent records how: the linked Telegram chat, the address on record, the personal code (checked
against its keyed hash, never stored in full), in person, or otherwise with a word on how. A wrong
personal code is refused and remembered in the audit log.
"""

from __future__ import annotations

from helpdesk.casework.context import Context, Refused
from helpdesk.core.secrets import personal_code_hmac
from helpdesk.storage.repositories import requests, residents

VERIFY_METHODS = ("telegram", "email_on_record", "personal_code", "in_person", "other")


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
