"""The audit log for admins: a page at a time (newest first), filtered by item, actor and action;
the whole log, or what the filter matches, as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from helpdesk.console import keys
from helpdesk.console.auth import admin
from helpdesk.console.render import actor_names, page, translator
from helpdesk.core.ids import row_id
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.requests import AuditEvent
from helpdesk.storage.repositories import agents, audit

routes = web.RouteTableDef()

PAGE_ROWS = 100
EXPORT_ROWS = 1_000_000
FIELDS = ("id", "created_at", "actor", "action", "request_id", "detail")
# What the log's columns hold (agent:7, system, resident:R-1, telegram:123; claim, export.sent):
# a filter outside these shapes cannot match anything and is not passed to the database.
ACTOR_SHAPE = re.compile(r"[A-Za-z0-9_.:@+\-]{1,64}")
ACTION_SHAPE = re.compile(r"[a-z][a-z0-9_.\-]{0,63}")
# The actors the filter offers by name besides the agents (any other is one click on a row away).
SYSTEM_ACTORS = ("system", "mailbox", "cli")


@dataclass(frozen=True, slots=True)
class LogFilter:
    request_id: int | None = None
    actor: str | None = None
    action: str | None = None
    ignored: tuple[str, ...] = ()  # filters given with a value no event can have

    @classmethod
    def from_query(cls, query: dict[str, str]) -> LogFilter:
        ignored: list[str] = []
        item = query.get("item", "").strip().lstrip("#")
        request_id = row_id(item)
        if item and request_id is None:
            ignored.append("item")
        actor = query.get("actor", "").strip() or None
        if actor is not None and not ACTOR_SHAPE.fullmatch(actor):
            ignored.append("actor")
            actor = None
        action = query.get("action", "").strip() or None
        if action is not None and not ACTION_SHAPE.fullmatch(action):
            ignored.append("action")
            action = None
        return cls(request_id=request_id, actor=actor, action=action, ignored=tuple(ignored))

    def terms(self) -> dict[str, Any]:
        return {"request_id": self.request_id, "actor": self.actor, "action": self.action}

    def query(self, **paging: int) -> str:
        """This filter (and a page) as a query string, for the page's links."""
        pairs = {"item": self.request_id, "actor": self.actor, "action": self.action, **paging}
        given = {key: value for key, value in pairs.items() if value is not None}
        return "?" + urlencode(given) if given else ""

    def __bool__(self) -> bool:
        return any(value is not None for value in self.terms().values())


def _row(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "created_at": event.created_at.isoformat(),
        "actor": event.actor,
        "action": event.action,
        "request_id": event.request_id,
        "detail": event.detail or {},
    }


@routes.get("/audit")
async def show(request: web.Request) -> web.StreamResponse:
    admin(request)
    log_filter = LogFilter.from_query(dict(request.query))
    before = row_id(request.query.get("before", ""))
    after = None if before is not None else row_id(request.query.get("after", ""))
    services = request.app[keys.SERVICES]
    async with services.sessions() as db:
        events = await audit.search(db, **log_filter.terms(), before=before, after=after, limit=PAGE_ROWS)
        if not events and after is not None:
            # Nothing newer than the link's page any more: the newest page, not an empty one.
            after = None
            events = await audit.search(db, **log_filter.terms(), limit=PAGE_ROWS)
        older = bool(events) and await audit.any_beyond(db, **log_filter.terms(), below=events[-1].id)
        newer = bool(events) and await audit.any_beyond(db, **log_filter.terms(), above=events[0].id)
        names = {a.id: a.display_name or a.username for a in await agents.list_all(db)}
    _ = translator(request)
    actors = [(f"agent:{agent_id}", name) for agent_id, name in sorted(names.items(), key=lambda p: p[1])]
    actors += [(actor, actor_names(names, _)(actor)) for actor in SYSTEM_ACTORS]
    if log_filter.actor and log_filter.actor not in dict(actors):
        actors.append((log_filter.actor, log_filter.actor))
    return page(
        request,
        "audit.html",
        {
            "events": events,
            "who": actor_names(names, _),
            "filter": log_filter,
            "actors": actors,
            "actions": sorted({event.action for event in events} | {log_filter.action or ""} - {""}),
            "older": log_filter.query(before=events[-1].id) if older else "",
            "newer": log_filter.query(after=events[0].id) if newer else "",
            "newest": log_filter.query() if newer else "",
            "downloads": log_filter.query(),
            "ignored": (
                _("This link has a filter no event can match ({names}): the log is shown without it.").format(
                    names=", ".join(log_filter.ignored)
                )
                if log_filter.ignored
                else ""
            ),
        },
    )


@routes.get(r"/audit.{fmt:(csv|json)}")
async def download(request: web.Request) -> web.StreamResponse:
    """The whole log, or what the page's filter matches (the page's download links carry it)."""
    agent = admin(request)
    fmt = request.match_info["fmt"]
    log_filter = LogFilter.from_query(dict(request.query))
    services = request.app[keys.SERVICES]
    async with services.sessions() as db:  # the whole log is read without the writers' turn
        found = await audit.search(db, **log_filter.terms(), limit=EXPORT_ROWS)
        rows = [_row(event) for event in reversed(found)]
    detail: dict[str, Any] = {"format": fmt}
    if log_filter:
        detail["filter"] = {key: value for key, value in log_filter.terms().items() if value is not None}
    async with services.sessions() as db, write_transaction(db):
        # Exporting the log is itself an action worth logging.
        await audit.record(db, actor=f"agent:{agent.id}", action="audit.exported", detail=detail)
    stamp = services.clock().strftime("%Y%m%d-%H%M%S")
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, indent=1)
        content_type = "application/json"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row | {"detail": json.dumps(row["detail"], ensure_ascii=False)})
        body = buffer.getvalue()
        content_type = "text/csv"
    response = web.Response(text=body, content_type=content_type, charset="utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="helpdesk-audit-{stamp}.{fmt}"'
    return response
