"""Sign-in (password, then TOTP when the agent has one), sign-out and the language switch."""

from __future__ import annotations

from aiohttp import web

from helpdesk.console import keys
from helpdesk.console.auth import LoginOutcome, TotpOutcome, check_login, check_totp
from helpdesk.console.render import page, translator
from helpdesk.console.session import Session
from helpdesk.console.texts import CONSOLE_LANGUAGES
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import agents, audit

routes = web.RouteTableDef()


def _client_address(request: web.Request) -> str:
    return request.remote or "unknown"


@routes.get("/")
async def home(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/queue" if request.get(keys.AGENT) else "/login")


@routes.get("/login")
async def login_form(request: web.Request) -> web.StreamResponse:
    if request.get(keys.AGENT) is not None:
        raise web.HTTPSeeOther("/queue")
    return page(request, "login.html", {"error": None, "username": ""})


@routes.post("/login")
async def login(request: web.Request) -> web.StreamResponse:
    _ = translator(request)
    form = await request.post()
    username = str(form.get("username", ""))[:64]
    password = str(form.get("password", ""))[:1024]
    if not request.app[keys.THROTTLE].allow(_client_address(request)):
        error = _("Too many sign-in attempts from this address. Please wait a few minutes.")
        return page(request, "login.html", {"error": error, "username": username}, status=429)
    services = request.app[keys.SERVICES]
    async with services.sessions() as db, write_transaction(db):
        result = await check_login(db, services, username, password)
    session: Session = request[keys.SESSION]
    if result.outcome is LoginOutcome.LOCKED:
        error = _("This account is locked for a few minutes after repeated wrong passwords or codes.")
        return page(request, "login.html", {"error": error, "username": username}, status=429)
    if result.outcome is LoginOutcome.WRONG or result.agent is None:
        request.app[keys.THROTTLE].failed(_client_address(request))
        error = _("Wrong user name or password.")
        return page(request, "login.html", {"error": error, "username": username}, status=401)
    session.rotate()
    if result.outcome is LoginOutcome.NEEDS_TOTP:
        session.pending_agent_id = result.agent.id
        raise web.HTTPSeeOther("/login/totp")
    session.agent_id = result.agent.id
    session.language = result.agent.language
    raise web.HTTPSeeOther("/queue")


@routes.get("/login/totp")
async def totp_form(request: web.Request) -> web.StreamResponse:
    session: Session = request[keys.SESSION]
    if session.pending_agent_id is None:
        raise web.HTTPSeeOther("/login")
    return page(request, "totp.html", {"error": None})


@routes.post("/login/totp")
async def totp(request: web.Request) -> web.StreamResponse:
    _ = translator(request)
    session: Session = request[keys.SESSION]
    if session.pending_agent_id is None:
        raise web.HTTPSeeOther("/login")
    if not request.app[keys.THROTTLE].allow(_client_address(request)):
        error = _("Too many sign-in attempts from this address. Please wait a few minutes.")
        return page(request, "totp.html", {"error": error}, status=429)
    form = await request.post()
    code = str(form.get("code", ""))[:16]
    services = request.app[keys.SERVICES]
    async with services.sessions() as db, write_transaction(db):
        agent = await agents.get(db, session.pending_agent_id)
        if agent is None or not agent.active or not agent.totp_secret:
            session.pending_agent_id = None
            session.rotate()
            raise web.HTTPSeeOther("/login")
        outcome = await check_totp(db, services, agent, code)
        language = agent.language
        agent_id = agent.id
    if outcome in (TotpOutcome.UNREADABLE, TotpOutcome.LOCKED):
        # Nothing another code mends now: back to the first step, with what to do next.
        session.pending_agent_id = None
        session.rotate()
        if outcome is TotpOutcome.LOCKED:
            error = _("This account is locked for a few minutes after repeated wrong passwords or codes.")
            return page(request, "login.html", {"error": error, "username": ""}, status=429)
        error = _(
            "Your authenticator app cannot be checked at the moment, so you cannot sign in yet. "
            "Please ask an administrator to set up your second sign-in step again."
        )
        return page(request, "login.html", {"error": error, "username": ""}, status=403)
    if outcome is TotpOutcome.REPLAYED:
        error = _("That code has already been used. Wait for the next code in your app and enter it.")
        return page(request, "totp.html", {"error": error}, status=401)
    if outcome is TotpOutcome.WRONG:
        request.app[keys.THROTTLE].failed(_client_address(request))
        return page(
            request, "totp.html", {"error": _("That code is not valid. Try the current one.")}, status=401
        )
    session.rotate()
    session.pending_agent_id = None
    session.agent_id = agent_id
    session.language = language
    raise web.HTTPSeeOther("/queue")


@routes.post("/logout")
async def logout(request: web.Request) -> web.StreamResponse:
    session: Session = request[keys.SESSION]
    if session.agent_id is not None:
        services = request.app[keys.SERVICES]
        async with services.sessions() as db, write_transaction(db):
            await audit.record(db, actor=f"agent:{session.agent_id}", action="logout", now=services.clock())
    session.agent_id = None
    session.pending_agent_id = None
    session.rotate()
    raise web.HTTPSeeOther("/login")


@routes.post("/language")
async def language(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    wanted = str(form.get("language", ""))
    session: Session = request[keys.SESSION]
    if wanted in CONSOLE_LANGUAGES:
        session.language = wanted
        session.dirty = True
    back = str(form.get("next", "/"))
    # Only a local path: an open redirect would let a link bounce agents to another site.
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    raise web.HTTPSeeOther(back)
