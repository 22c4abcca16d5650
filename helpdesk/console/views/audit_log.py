"""The audit log for admins: the latest events on a page, the whole log as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from aiohttp import web

from helpdesk.console import keys
from helpdesk.console.auth import admin
from helpdesk.console.render import actor_names, page, translator
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.requests import AuditEvent
from helpdesk.storage.repositories import agents, audit

routes = web.RouteTableDef()

PAGE_ROWS = 200
EXPORT_ROWS = 1_000_000
FIELDS = ("id", "created_at", "actor", "action", "request_id", "detail")


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
    services = request.app[keys.SERVICES]
    async with services.sessions() as db:
        events = await audit.recent(db, limit=PAGE_ROWS)
        names = {a.id: a.display_name or a.username for a in await agents.list_all(db)}
    return page(request, "audit.html", {"events": events, "who": actor_names(names, translator(request))})


@routes.get(r"/audit.{fmt:(csv|json)}")
async def download(request: web.Request) -> web.StreamResponse:
    agent = admin(request)
    fmt = request.match_info["fmt"]
    services = request.app[keys.SERVICES]
    async with services.sessions() as db:  # the whole log is read without the writers' turn
        rows = [_row(event) for event in reversed(await audit.recent(db, limit=EXPORT_ROWS))]
    async with services.sessions() as db, write_transaction(db):
        # Exporting the log is itself an action worth logging.
        await audit.record(db, actor=f"agent:{agent.id}", action="audit.exported", detail={"format": fmt})
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
