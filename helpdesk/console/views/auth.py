"""Sign-in (password, then TOTP when the agent has one), sign-out and the language switch."""

from __future__ import annotations

from aiohttp import web

from helpdesk.console import keys
from helpdesk.console.addresses import client_address, local_path
from helpdesk.console.auth import LoginOutcome, TotpOutcome, check_login, check_totp
from helpdesk.console.render import page, translator
from helpdesk.console.session import Session
from helpdesk.console.texts import CONSOLE_LANGUAGES
from helpdesk.console.throttle import Busy
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import agents, audit

routes = web.RouteTableDef()


def _client_address(request: web.Request) -> str:
    return client_address(
        request.remote,
        request.headers.getall("X-Forwarded-For", []),
        request.app[keys.CONFIG].settings.trusted_proxies,
    )


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
    limiter = request.app[keys.LIMITER]
    reservation = limiter.reserve(_client_address(request), username)
    if reservation is None:
        error = _("Too many sign-in attempts from this address. Please wait a few minutes.")
        return page(request, "login.html", {"error": error, "username": username}, status=429)
    try:
        result = await check_login(request.app[keys.SERVICES], request.app[keys.GATE], username, password)
    except Busy:
        limiter.release(reservation)  # nothing was checked: the slot is given back
        error = _("The console is busy checking other sign-ins. Please try again in a moment.")
        return page(request, "login.html", {"error": error, "username": username}, status=429)
    except BaseException:
        limiter.release(reservation)
        raise
    if result.outcome in (LoginOutcome.WRONG, LoginOutcome.LOCKED) or result.agent is None:
        limiter.failed(reservation)
        # One answer for a wrong password, an unknown name and a locked account: a different one
        # for "locked" told a guesser which names are agents.
        error = _(
            "Wrong user name or password. After several wrong tries an account is locked for a few minutes."
        )
        return page(request, "login.html", {"error": error, "username": username}, status=401)
    limiter.release(reservation)
    session: Session = request[keys.SESSION]
    session.rotate()
    session.generation = result.generation
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
    limiter = request.app[keys.LIMITER]
    reservation = limiter.reserve(_client_address(request), f"#{session.pending_agent_id}")
    if reservation is None:
        error = _("Too many sign-in attempts from this address. Please wait a few minutes.")
        return page(request, "totp.html", {"error": error}, status=429)
    try:
        outcome, agent_id, language = await _second_step(request, session)
    except BaseException:
        limiter.release(reservation)
        raise
    if outcome is TotpOutcome.WRONG:
        limiter.failed(reservation)
    else:
        limiter.release(reservation)
    if outcome is None:  # the agent was disabled, lost the second factor or changed password meanwhile
        session.pending_agent_id = None
        session.rotate()
        raise web.HTTPSeeOther("/login")
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
        return page(
            request, "totp.html", {"error": _("That code is not valid. Try the current one.")}, status=401
        )
    session.rotate()
    session.pending_agent_id = None
    session.agent_id = agent_id
    session.language = language
    raise web.HTTPSeeOther("/queue")


async def _second_step(request: web.Request, session: Session) -> tuple[TotpOutcome | None, int, str]:
    """Check the code in one short write transaction (an HMAC, no argon2).

    The locked state shown after a right password is no secret: only someone who knows the
    password gets this far."""
    form = await request.post()
    code = str(form.get("code", ""))[:16]
    services = request.app[keys.SERVICES]
    async with services.sessions() as db, write_transaction(db):
        agent = await agents.get(db, session.pending_agent_id or 0)
        if (
            agent is None
            or not agent.active
            or not agent.totp_secret
            or agent.session_generation != session.generation
        ):
            return None, 0, ""
        return await check_totp(db, services, agent, code), agent.id, agent.language


@routes.post("/logout")
async def logout(request: web.Request) -> web.StreamResponse:
    """Sign out here and everywhere: every cookie of this agent stops working, copies included."""
    session: Session = request[keys.SESSION]
    if session.agent_id is not None:
        services = request.app[keys.SERVICES]
        async with services.sessions() as db, write_transaction(db):
            agent = await agents.get(db, session.agent_id)
            if agent is not None:
                await agents.end_sessions(db, agent)
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
    # Only a path on this site: an open redirect would let a link bounce agents to another site.
    raise web.HTTPSeeOther(local_path(str(form.get("next", "/"))))
