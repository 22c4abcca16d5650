"""Viewing a generated export before it is sent (the agent's review), as HTML or JSON."""

from __future__ import annotations

from aiohttp import web

from helpdesk.casework.exports import read_export
from helpdesk.console import keys
from helpdesk.console.auth import signed_in
from helpdesk.core.ids import row_id

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
    try:
        body = await read_export(request.app[keys.SERVICES], agent, item_id, export_id, fmt)
    except LookupError:
        raise web.HTTPNotFound(text="no such export") from None
    if isinstance(body, bytes):
        response = web.Response(body=body, content_type="application/pdf")
        response.headers["Content-Disposition"] = f'inline; filename="data-export-{export_id}.pdf"'
        return response
    if fmt == "json":
        response = web.Response(text=body, content_type="application/json", charset="utf-8")
        response.headers["Content-Disposition"] = f'inline; filename="data-export-{export_id}.json"'
        return response
    response = web.Response(text=body, content_type="text/html", charset="utf-8")
    response.headers["Content-Security-Policy"] = EXPORT_CSP
    return response
