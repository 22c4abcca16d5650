"""Extending an access or correction request's deadline (GDPR Art. 12(3)): once, by one or two
months, announced to the resident with the reason before the first month ends.
"""

from __future__ import annotations

from datetime import datetime

from helpdesk.casework.context import Context, Refused
from helpdesk.casework.texts import resident_gettext
from helpdesk.core.deadlines import add_months
from helpdesk.i18n import dates
from helpdesk.storage.models.requests import RequestKind, SupportRequest
from helpdesk.storage.repositories import requests

GDPR_KINDS = (RequestKind.ACCESS, RequestKind.CORRECTION)
# Art. 12(3): "may be extended by two further months where necessary".
MAX_EXTENSION_MONTHS = 2


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
    _ = resident_gettext(ctx.item.language)
    text = _(
        "We need more time to answer your request {ref}, because: {reason}. "
        "We will answer by {date} at the latest (GDPR Art. 12(3) allows this extension)."
    ).format(ref=ctx.ref(), reason=reason, date=dates.day(deadline, ctx.item.language))
    channel = await ctx.tell_resident(text, "extend")
    await ctx.log("extend", months=int(months), deadline=deadline.isoformat(), told=channel)
    return f"extended:{channel}"
