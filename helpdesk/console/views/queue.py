"""The queue: open items, soonest deadline first, with filters and counts at the top.

Items waiting for the resident stay in that order (their deadline runs on), marked; so does an
item the resident has since answered, until an agent replies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from helpdesk.console import keys
from helpdesk.console.auth import signed_in
from helpdesk.console.render import page
from helpdesk.core.deadlines import DUE_SOON
from helpdesk.storage.models.requests import IdentityState, RequestKind, RequestStatus, SupportRequest
from helpdesk.storage.repositories import agents, requests

routes = web.RouteTableDef()

OPEN_STATUSES = (RequestStatus.OPEN, RequestStatus.CLAIMED, RequestStatus.WAITING)
CHANNELS = ("telegram", "email", "chat", "console")


@dataclass(frozen=True, slots=True)
class Filters:
    kind: str = ""
    status: str = ""
    channel: str = ""
    identity: str = ""
    assignee: str = ""  # "", "me", "none" or an agent id
    replied: bool = False  # only items the resident wrote on again after they waited for them

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Filters:
        def pick(name: str, allowed: tuple[str, ...]) -> str:
            value = query.get(name, "")
            return value if value in allowed else ""

        assignee = query.get("assignee", "")
        if assignee not in ("me", "none") and not assignee.isdigit():
            assignee = ""
        return cls(
            kind=pick("kind", tuple(RequestKind)),
            status=pick("status", tuple(RequestStatus)),
            channel=pick("channel", CHANNELS),
            identity=pick("identity", tuple(IdentityState)),
            assignee=assignee,
            replied=query.get("replied", "") == "1",
        )


def urgency(item: SupportRequest, now: datetime) -> str:
    if item.status == RequestStatus.CLOSED:
        return ""
    if item.deadline_at < now:
        return "overdue"
    if item.deadline_at < now + DUE_SOON:
        return "soon"
    return ""


@routes.get("/queue")
async def queue(request: web.Request) -> web.StreamResponse:
    agent = signed_in(request)
    filters = Filters.from_query(dict(request.query))
    services = request.app[keys.SERVICES]
    now = services.clock()
    assignee_id = None
    if filters.assignee == "me":
        assignee_id = agent.id
    elif filters.assignee.isdigit():
        assignee_id = int(filters.assignee)
    async with services.sessions() as db:
        items = await requests.list_items(
            db,
            kinds=[filters.kind] if filters.kind else [],
            statuses=[filters.status] if filters.status else [str(s) for s in OPEN_STATUSES],
            channels=[filters.channel] if filters.channel else [],
            identities=[filters.identity] if filters.identity else [],
            assignee_id=assignee_id,
            unassigned=filters.assignee == "none",
            replied=filters.replied,
        )
        counts = await requests.open_counts(db, now=now, soon=now + DUE_SOON)
        names = {a.id: a.display_name or a.username for a in await agents.list_all(db)}
    rows = [
        {
            "item": item,
            "urgency": urgency(item, now),
            "assignee": names.get(item.assignee_id, "") if item.assignee_id else "",
            "lease_live": item.lease_expires_at is not None and item.lease_expires_at > now,
            "replied": item.resident_replied_at is not None and item.status != RequestStatus.CLOSED,
        }
        for item in items
    ]
    return page(
        request,
        "queue.html",
        {
            "rows": rows,
            "counts": counts,
            "filters": filters,
            "kinds": list(RequestKind),
            "statuses": list(RequestStatus),
            "channels": CHANNELS,
            "identities": list(IdentityState),
            "agents": sorted(names.items(), key=lambda pair: pair[1]),
        },
    )
