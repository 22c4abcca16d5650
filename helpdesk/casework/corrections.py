"""A correction request (GDPR Art. 16): the agent applies the fields the resident asked to correct,
or refuses with a reason; either way the resident is told, in their language.
"""

from __future__ import annotations

from pydantic import ValidationError

from helpdesk.casework.context import Context, Refused
from helpdesk.casework.importing import store_resident
from helpdesk.casework.texts import resident_gettext
from helpdesk.core.records import ResidentRecord
from helpdesk.storage.models.requests import IdentityState, RequestKind
from helpdesk.storage.repositories import requests, residents

CORRECTABLE = ("name", "address", "invoice_email", "news_email", "language")


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
    _ = resident_gettext(ctx.item.language)
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
        return f"correction_refused:{channel}"
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
    await store_resident(ctx.session, record, ctx.services.security)  # no code given: the hash stays
    details = dict(ctx.item.details or {}) | {"correction": {"decision": "applied", "fields": changed}}
    await requests.set_details(ctx.session, request_id=ctx.item.id, details=details)
    labels = ", ".join(_("field:" + name) for name in changed)
    text = _("We have corrected your data as you asked in request {ref}: {fields}.").format(
        ref=ctx.ref(), fields=labels
    )
    channel = await ctx.tell_resident(text, "correction:applied")
    await ctx.log("correction.applied", fields=changed, told=channel)
    return f"corrected:{channel}"
