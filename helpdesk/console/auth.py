"""Who may use the console: password check with account locking, the TOTP step, role checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import pyotp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.console import keys
from helpdesk.console.throttle import ACCOUNT_FAILURES_BEFORE_LOCK, ACCOUNT_LOCK_MINUTES
from helpdesk.core.passwords import verify_password
from helpdesk.core.services import Services
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.repositories import agents, audit

# Verifying a made-up hash costs as much as a real one, so a wrong user name takes as long to
# refuse as a wrong password and response times do not reveal which agents exist.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$ssm9UPHsi5pSsCqfgrDlRg$AqIvP+mr1YYBw9JbFjrtmu+e/K0aerCgM5kbK22pEuE"
)


class LoginOutcome(StrEnum):
    OK = "ok"
    NEEDS_TOTP = "needs_totp"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class LoginResult:
    outcome: LoginOutcome
    agent: Agent | None = None


async def check_login(db: AsyncSession, services: Services, username: str, password: str) -> LoginResult:
    now = services.clock()
    agent = await agents.by_username(db, username.strip())
    if agent is None or not agent.active:
        verify_password(_DUMMY_HASH, password)
        return LoginResult(LoginOutcome.WRONG)
    if agent.locked_until is not None and agent.locked_until > now:
        return LoginResult(LoginOutcome.LOCKED)
    if not verify_password(agent.password_hash, password):
        await agents.note_failed_login(
            db,
            agent,
            now=now,
            lock_after=ACCOUNT_FAILURES_BEFORE_LOCK,
            lock_for=timedelta(minutes=ACCOUNT_LOCK_MINUTES),
        )
        await audit.record(db, actor=f"agent:{agent.id}", action="login.failed", now=now)
        return LoginResult(LoginOutcome.WRONG)
    if agent.totp_secret:
        return LoginResult(LoginOutcome.NEEDS_TOTP, agent)
    await agents.note_login(db, agent)
    await audit.record(db, actor=f"agent:{agent.id}", action="login", now=now)
    return LoginResult(LoginOutcome.OK, agent)


def totp_ok(secret: str, code: str) -> bool:
    """One step either side (±30 s) for clock drift between the phone and the server."""
    cleaned = code.replace(" ", "").strip()
    return cleaned.isdigit() and bool(pyotp.TOTP(secret).verify(cleaned, valid_window=1))


def signed_in(request: web.Request) -> Agent:
    """The agent of this request; otherwise the browser goes to the sign-in page."""
    agent: Agent | None = request.get(keys.AGENT)
    if agent is None:
        raise web.HTTPSeeOther("/login")
    return agent


def admin(request: web.Request) -> Agent:
    agent = signed_in(request)
    if agent.role != "admin":
        raise web.HTTPForbidden(text="admins only")
    return agent
