"""Middlewares of the console: the signed session, CSRF checks, polite errors; and the security
headers, set as each response is prepared (redirects, 401/403/404/429 and aiohttp's own error
pages included: a middleware sees only what a handler returns, not what it raises).

The portal API (``/api/``) and the unsubscribe endpoint do not use the session: the API
authenticates each call with a bearer key, and RFC 8058 one-click unsubscribe is a POST from a mail
client that has no cookie and no CSRF token (the token in the URL is the proof).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from helpdesk.console import keys
from helpdesk.console.render import message_page, translator
from helpdesk.console.session import COOKIE, MAX_AGE, Session, csrf_ok, decode, derive_key, encode
from helpdesk.console.views.queue import header_badge
from helpdesk.storage.repositories import agents

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
SESSIONLESS_PREFIXES = ("/api/", "/unsubscribe/", "/static/", "/healthz", "/metrics")
# A year; sent only when the console's public URL is https (a browser that once saw it will not
# go to the console over plain http, where the session cookie could be taken).
HSTS = "max-age=31536000"
# Instead of aiohttp's "Python/3.11 aiohttp/3.x", which tells a visitor which flaws to try.
SERVER = "helpdesk"


def _sessionless(request: web.Request) -> bool:
    return request.path.startswith(SESSIONLESS_PREFIXES)


async def security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: every response the console sends, whatever made it."""
    headers = response.headers
    headers["Server"] = SERVER
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    if request.config_dict[keys.SECURE_COOKIES]:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if response.content_type == "text/html":
        headers.setdefault("Content-Security-Policy", CSP)
    if not request.path.startswith("/static/"):
        headers.setdefault("Cache-Control", "no-store")


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A failure shows a polite page (or JSON under /api/), never a traceback."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status_code in (403, 404) and not request.path.startswith("/api/"):
            _ = translator(request)
            title = _("Not allowed") if exc.status_code == 403 else _("Not found")
            text = (
                _("This page is for admins.")
                if exc.status_code == 403
                else _("There is nothing at this address. It may have been closed and purged.")
            )
            return message_page(request, title, text, status=exc.status_code)
        raise
    except Exception:
        # The route's pattern, not the path: an unsubscribe URL carries a token.
        route = request.match_info.route.resource
        where = route.canonical if route is not None else "?"
        log.exception("console request failed: %s %s", request.method, where)
        if request.path.startswith("/api/"):
            return web.json_response(
                {"error": "internal_error", "message": "the request could not be completed"}, status=500
            )
        _ = translator(request)
        return message_page(
            request,
            _("Something went wrong"),
            _("The action could not be completed. Nothing was sent. Please try again."),
            status=500,
        )


@web.middleware
async def sessions(request: web.Request, handler: Handler) -> web.StreamResponse:
    if _sessionless(request):
        return await handler(request)
    key = derive_key(request.app[keys.SESSION_KEY], "session")
    raw = request.cookies.get(COOKIE)
    session = decode(key, raw) if raw else None
    if session is None:
        session = Session(dirty=True)
    request[keys.SESSION] = session
    request[keys.AGENT] = None
    services = request.app[keys.SERVICES]
    if session.agent_id is not None:
        async with services.sessions() as db:
            agent = await agents.get(db, session.agent_id)
            if agent is not None and agent.active and agent.session_generation == session.generation:
                request[keys.AGENT] = agent
                if request.method == "GET":
                    request[keys.BADGE] = await header_badge(db, services.clock())
            else:
                session.agent_id = None
                session.rotate()
    try:
        response = await handler(request)
    except web.HTTPException as exc:  # redirects after sign-in carry the new cookie too
        _set_cookie(request, exc, key, session)
        raise
    _set_cookie(request, response, key, session)
    return response


def _set_cookie(request: web.Request, response: web.StreamResponse, key: bytes, session: Session) -> None:
    if not session.dirty:
        return
    response.set_cookie(
        COOKIE,
        encode(key, session),
        max_age=MAX_AGE,
        path="/",
        httponly=True,
        samesite="Strict",
        secure=request.app[keys.SECURE_COOKIES],
    )


@web.middleware
async def csrf(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every state-changing form carries the session's token (SameSite=Strict is the second wall)."""
    if request.method in ("GET", "HEAD", "OPTIONS") or _sessionless(request):
        return await handler(request)
    session: Session = request[keys.SESSION]
    form = await request.post()
    token = form.get("csrf")
    key = derive_key(request.app[keys.SESSION_KEY], "csrf")
    if not isinstance(token, str) or not csrf_ok(key, session, token):
        _ = translator(request)
        return message_page(
            request,
            _("The form has expired"),
            _("Please go back, reload the page and try again."),
            status=403,
        )
    return await handler(request)
