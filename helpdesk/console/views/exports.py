"""Viewing a generated export before it is sent (the agent's review), as HTML or JSON."""

from __future__ import annotations

from aiohttp import web

from helpdesk.console import export, keys
from helpdesk.console.auth import signed_in
from helpdesk.core.ids import row_id
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import audit, exports, residents

routes = web.RouteTableDef()

# The export page has its own inline style and no scripts; sandbox it so that even a resident's
# text that slipped past escaping could not run or reach the console.
EXPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@routes.get(r"/items/{item_id:[0-9]{1,12}}/exports/{export_id:[0-9]{1,12}}.{fmt:(html|json|pdf)}")
async def show(request: web.Request) -> web.StreamResponse:
    agent = signed_in(request)
    item_id = row_id(request.match_info["item_id"])
    export_id = row_id(request.match_info["export_id"])
    if item_id is None or export_id is None:
        raise web.HTTPNotFound(text="no such export")
    fmt = request.match_info["fmt"]
    services = request.app[keys.SERVICES]
    async with services.sessions() as db, write_transaction(db):
        row = await exports.get(db, item_id, export_id)
        if row is None:
            raise web.HTTPNotFound(text="no such export")
        await audit.record(
            db,
            actor=f"agent:{agent.id}",
            action="export.viewed",
            request_id=item_id,
            detail={"export_id": export_id, "format": fmt},
            now=services.clock(),
        )
        body = row.html_text if fmt == "html" else row.json_text
        if fmt == "pdf":
            resident = await residents.get(db, row.resident_id)
            pdf = export.to_pdf(row, resident.language if resident else "lv")
    if fmt == "pdf":
        response = web.Response(body=pdf, content_type="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="data-export-{export_id}.pdf"'
        return response
    if fmt == "json":
        response = web.Response(text=body, content_type="application/json", charset="utf-8")
        response.headers["Content-Disposition"] = f'inline; filename="data-export-{export_id}.json"'
        return response
    response = web.Response(text=body, content_type="text/html", charset="utf-8")
    response.headers["Content-Security-Policy"] = EXPORT_CSP
    return response
