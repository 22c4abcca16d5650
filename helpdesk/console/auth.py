"""Who may use the console: password check with account locking, the TOTP step, role checks."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.console import keys
from helpdesk.console.throttle import ACCOUNT_FAILURES_BEFORE_LOCK, ACCOUNT_LOCK_MINUTES
from helpdesk.core import totp
from helpdesk.core.passwords import verify_password
from helpdesk.services import Services
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.repositories import agents, audit

# Verifying a made-up hash costs as much as a real one, so a wrong user name takes as long to
# refuse as a wrong password and response times do not reveal which agents exist.
log = logging.getLogger(__name__)

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
        await _count_failure(db, agent, now=now)
        await audit.record(db, actor=f"agent:{agent.id}", action="login.failed", now=now)
        return LoginResult(LoginOutcome.WRONG)
    if agent.totp_secret:
        return LoginResult(LoginOutcome.NEEDS_TOTP, agent)
    await agents.note_login(db, agent)
    await audit.record(db, actor=f"agent:{agent.id}", action="login", now=now)
    return LoginResult(LoginOutcome.OK, agent)


async def _count_failure(db: AsyncSession, agent: Agent, *, now: datetime) -> None:
    """Wrong passwords and wrong codes count together towards the account lock."""
    await agents.note_failed_login(
        db,
        agent,
        now=now,
        lock_after=ACCOUNT_FAILURES_BEFORE_LOCK,
        lock_for=timedelta(minutes=ACCOUNT_LOCK_MINUTES),
    )


class TotpOutcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    REPLAYED = "replayed"  # right code, but its time step was already used (RFC 6238 §5.2)
    LOCKED = "locked"
    UNREADABLE = "unreadable"  # the stored secret does not open: HELPDESK_SECRET_KEY changed


async def check_totp(db: AsyncSession, services: Services, agent: Agent, code: str) -> TotpOutcome:
    """The second step of ``agent``'s sign-in (the password was right): each code counts once.

    A secret stored before encryption is sealed in the same UPDATE that takes the code's step.
    Audit events name the agent and the outcome only, never the code or the secret.
    """
    now = services.clock()
    actor = f"agent:{agent.id}"
    stored = agent.totp_secret
    if not stored:
        raise ValueError("this agent has no second factor")
    if agent.locked_until is not None and agent.locked_until > now:
        return TotpOutcome.LOCKED
    secret_key = services.settings.secret_key_bytes()
    try:
        secret = totp.unseal(secret_key, agent.id, stored)
    except totp.UnreadableSecret:
        # Refused, never skipped: an admin re-enrols the agent (README, "Agents' console").
        log.warning(
            "agent %s: the stored TOTP secret does not open with HELPDESK_SECRET_KEY; "
            "re-enrol with `helpdesk agents totp USERNAME`",
            agent.id,
        )
        await audit.record(db, actor=actor, action="login.totp_unreadable", now=now)
        return TotpOutcome.UNREADABLE
    steps = totp.matching_steps(secret, code, now=now)
    if not steps:
        await _count_failure(db, agent, now=now)
        await audit.record(db, actor=actor, action="login.totp_failed", now=now)
        return TotpOutcome.WRONG
    last = agent.totp_last_step
    fresh = [step for step in steps if last is None or step > last]
    upgrade = totp.is_plaintext(stored)
    store = totp.seal(secret_key, agent.id, secret) if upgrade else stored
    if not fresh or not await agents.accept_totp_step(db, agent, step=fresh[0], stored=stored, store=store):
        await audit.record(db, actor=actor, action="login.totp_replayed", now=now)
        return TotpOutcome.REPLAYED
    await agents.note_login(db, agent)
    detail: dict[str, bool] = {"totp": True}
    if upgrade:
        detail["totp_sealed"] = True
    await audit.record(db, actor=actor, action="login", detail=detail, now=now)
    return TotpOutcome.OK


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
