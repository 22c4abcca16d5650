"""RFC 8058 one-click unsubscribe: ``List-Unsubscribe-Post`` makes mail clients POST here.

GET shows a page with a button (link scanners prefetch URLs with GET, so GET never withdraws);
POST withdraws news consent through the consent handler's ``withdraw_by_token``. The token in the
URL is the proof, so there is no session and no CSRF token (the mail client has neither).
"""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from helpdesk.console import keys
from helpdesk.console.render import page
from helpdesk.handlers.consent import withdraw_by_token

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

_TOKEN_LIMIT = 512


def _token(request: web.Request) -> str:
    token = request.match_info["token"]
    if len(token) > _TOKEN_LIMIT:
        raise web.HTTPNotFound(text="no such link")
    return token


@routes.get("/unsubscribe/{token}")
async def confirm_form(request: web.Request) -> web.StreamResponse:
    return page(request, "unsubscribe.html", {"token": _token(request), "state": "ask"})


@routes.post("/unsubscribe/{token}")
async def unsubscribe(request: web.Request) -> web.StreamResponse:
    token = _token(request)
    try:
        done = await withdraw_by_token(request.app[keys.SERVICES], token)
    except (SQLAlchemyError, OSError) as exc:
        # The database is away: say so plainly (a mail client may retry); nothing was changed.
        log.warning("unsubscribe could not reach the database: %s", type(exc).__name__)
        return page(request, "unsubscribe.html", {"token": token, "state": "unavailable"}, status=503)
    if not done:
        return page(request, "unsubscribe.html", {"token": token, "state": "invalid"}, status=404)
    return page(request, "unsubscribe.html", {"token": token, "state": "done"})
