"""The queue: open items, soonest deadline first, with filters and counts at the top.

Items waiting for the resident stay in that order (their deadline runs on), marked; so does an
item the resident has since answered, until an agent replies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.console import keys
from helpdesk.console.auth import signed_in
from helpdesk.console.render import page, translator
from helpdesk.console.texts import end_of_day
from helpdesk.core.deadlines import DUE_SOON
from helpdesk.core.ids import row_id
from helpdesk.storage.models.requests import IdentityState, RequestKind, RequestStatus, SupportRequest
from helpdesk.storage.repositories import agents, requests, stats

routes = web.RouteTableDef()

OPEN_STATUSES = (RequestStatus.OPEN, RequestStatus.CLAIMED, RequestStatus.WAITING)
CHANNELS = ("telegram", "email", "chat", "console")
# ``?due=``: the deadline windows the counts above the queue name (overdue, before midnight in
# Riga, within DUE_SOON). Only not-closed items have one.
DUE = ("overdue", "today", "soon")


@dataclass(frozen=True, slots=True)
class Filters:
    kind: str = ""
    status: str = ""
    channel: str = ""
    identity: str = ""
    assignee: str = ""  # "", "me", "none" or an agent id
    replied: bool = False  # only items the resident wrote on again after they waited for them
    due: str = ""  # "", or one of DUE
    # Filters given with a value the queue does not know (a hand-edited or stale link): the queue
    # is shown without them, and says so.
    ignored: tuple[str, ...] = ()

    @classmethod
    def from_query(cls, query: dict[str, str]) -> Filters:
        ignored: list[str] = []

        def pick(name: str, allowed: tuple[str, ...]) -> str:
            value = query.get(name, "")
            if value in allowed:
                return value
            if value:
                ignored.append(name)
            return ""

        assignee = query.get("assignee", "")
        if assignee not in ("me", "none") and row_id(assignee) is None:
            if assignee:
                ignored.append("assignee")
            assignee = ""
        return cls(
            kind=pick("kind", tuple(RequestKind)),
            status=pick("status", tuple(RequestStatus)),
            channel=pick("channel", CHANNELS),
            identity=pick("identity", tuple(IdentityState)),
            assignee=assignee,
            replied=pick("replied", ("1",)) == "1",
            due=pick("due", DUE),
            ignored=tuple(ignored),
        )

    def deadlines(self, now: datetime) -> tuple[datetime | None, datetime | None]:
        """The ``[from, before)`` window of deadlines ``due`` asks for."""
        if self.due == "overdue":
            return None, now
        if self.due == "today":
            return now, end_of_day(now)
        if self.due == "soon":
            return now, now + DUE_SOON
        return None, None


def urgency(item: SupportRequest, now: datetime) -> str:
    if item.status == RequestStatus.CLOSED:
        return ""
    if item.deadline_at < now:
        return "overdue"
    if item.deadline_at < now + DUE_SOON:
        return "soon"
    return ""


async def header_badge(db: AsyncSession, now: datetime) -> int:
    """The header's red number on every signed-in page: overdue or due within DUE_SOON."""
    overdue, due_soon = await stats.deadline_counts(db, now=now, within=DUE_SOON)
    return overdue + due_soon


async def fill_badge(request: web.Request) -> None:
    """A page rendered in answer to a POST (a refused action, a confirmation step) shows the
    badge too: the sessions middleware counts it for GET requests only."""
    if request.get(keys.BADGE) is not None or request.get(keys.AGENT) is None:
        return
    services = request.app[keys.SERVICES]
    async with services.sessions() as db:
        request[keys.BADGE] = await header_badge(db, services.clock())


@routes.get("/queue")
async def queue(request: web.Request) -> web.StreamResponse:
    agent = signed_in(request)
    filters = Filters.from_query(dict(request.query))
    services = request.app[keys.SERVICES]
    now = services.clock()
    assignee_id = None
    if filters.assignee == "me":
        assignee_id = agent.id
    elif filters.assignee not in ("", "none"):
        assignee_id = row_id(filters.assignee)
    due_from, due_before = filters.deadlines(now)
    async with services.sessions() as db:
        # A closed item is not overdue nor due: with a deadline filter, "closed" matches nothing.
        closed_and_due = bool(filters.due) and filters.status == RequestStatus.CLOSED
        items = (
            []
            if closed_and_due
            else await requests.list_items(
                db,
                kinds=[filters.kind] if filters.kind else [],
                statuses=[filters.status] if filters.status else [str(s) for s in OPEN_STATUSES],
                channels=[filters.channel] if filters.channel else [],
                identities=[filters.identity] if filters.identity else [],
                assignee_id=assignee_id,
                unassigned=filters.assignee == "none",
                replied=filters.replied,
                due_from=due_from,
                due_before=due_before,
            )
        )
        counts = await requests.open_counts(db, now=now, soon=now + DUE_SOON, today_end=end_of_day(now))
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
    _ = translator(request)
    return page(
        request,
        "queue.html",
        {
            "rows": rows,
            "ignored": (
                _(
                    "This link has a filter the queue does not know ({names}): the queue is shown without it."
                ).format(names=", ".join(filters.ignored))
                if filters.ignored
                else ""
            ),
            "dues": DUE,
            "counts": counts,
            "filters": filters,
            "kinds": list(RequestKind),
            "statuses": list(RequestStatus),
            "channels": CHANNELS,
            "identities": list(IdentityState),
            "agents": sorted(names.items(), key=lambda pair: pair[1]),
        },
    )
