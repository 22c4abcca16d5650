"""Who may use the console: password check with account locking, the TOTP step, role checks."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.console import keys
from helpdesk.console.throttle import ACCOUNT_FAILURES_BEFORE_LOCK, ACCOUNT_LOCK_MINUTES, PasswordGate
from helpdesk.core import totp
from helpdesk.core.passwords import decoy_hash, verify_password
from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.repositories import agents, audit

log = logging.getLogger(__name__)


class LoginOutcome(StrEnum):
    OK = "ok"
    NEEDS_TOTP = "needs_totp"
    WRONG = "wrong"
    LOCKED = "locked"  # shown exactly as WRONG: the answer must not tell which accounts exist


@dataclass(frozen=True, slots=True)
class LoginResult:
    outcome: LoginOutcome
    agent: Agent | None = None
    generation: int = 0  # the agent's session generation, for the new cookie


async def check_login(services: Services, gate: PasswordGate, username: str, password: str) -> LoginResult:
    """The password step. Raises :class:`~helpdesk.console.throttle.Busy` when the gate is full.

    Three short units of work, none held open across the slow part: read the agent; check the
    password in a thread (argon2 takes ~0.1 s of CPU, which on the event loop, inside a SQLite write
    transaction, stalled every other request and timed some out); then record the outcome. A
    locked, disabled or unknown account is checked too (against a decoy hash when there is no
    real one), so it takes as long to refuse as a wrong password. The failure count is one atomic
    UPDATE, and a right password is accepted only by an UPDATE that finds the account unlocked:
    parallel wrong guesses lock the account, and a guess that was being checked when the lock
    came is refused even if it is right.
    """
    now = services.clock()
    async with services.sessions() as db:
        agent = await agents.by_username(db, username.strip())
    usable = agent is not None and agent.active
    stored_hash = agent.password_hash if agent is not None and usable else decoy_hash()
    matches = await gate.run(verify_password, stored_hash, password)
    if agent is None or not usable:
        return LoginResult(LoginOutcome.WRONG)
    actor = f"agent:{agent.id}"
    if agent.locked_until is not None and agent.locked_until > now:
        async with services.sessions() as db, write_transaction(db):
            await audit.record(db, actor=actor, action="login.locked", now=now)
        return LoginResult(LoginOutcome.LOCKED)
    if not matches:
        async with services.sessions() as db, write_transaction(db):
            locked = await _count_failure(db, agent.id, now=now)
            await audit.record(db, actor=actor, action="login.failed", detail={"locked": locked}, now=now)
        return LoginResult(LoginOutcome.WRONG)
    if agent.totp_secret:
        # The failure count is reset only when the second step succeeds (check_totp), which
        # takes the sign-in only if the account is still unlocked; the lock is read again here too.
        async with services.sessions() as db:
            if await agents.is_locked(db, agent.id, now=now):
                return LoginResult(LoginOutcome.LOCKED)
        return LoginResult(LoginOutcome.NEEDS_TOTP, agent, agent.session_generation)
    async with services.sessions() as db, write_transaction(db):
        generation = await agents.note_login(db, agent.id, now=now)
        await audit.record(
            db, actor=actor, action="login" if generation is not None else "login.locked", now=now
        )
    if generation is None:
        return LoginResult(LoginOutcome.LOCKED)
    return LoginResult(LoginOutcome.OK, agent, generation)


async def _count_failure(db: AsyncSession, agent_id: int, *, now: datetime) -> bool:
    """Wrong passwords and wrong codes count together towards the account lock."""
    return await agents.note_failed_login(
        db,
        agent_id,
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
    secret_key = services.security.secret_key_bytes()
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
        await _count_failure(db, agent.id, now=now)
        await audit.record(db, actor=actor, action="login.totp_failed", now=now)
        return TotpOutcome.WRONG
    last = agent.totp_last_step
    fresh = [step for step in steps if last is None or step > last]
    upgrade = totp.is_plaintext(stored)
    store = totp.seal(secret_key, agent.id, secret) if upgrade else stored
    if not fresh or not await agents.accept_totp_step(db, agent, step=fresh[0], stored=stored, store=store):
        await audit.record(db, actor=actor, action="login.totp_replayed", now=now)
        return TotpOutcome.REPLAYED
    if await agents.note_login(db, agent.id, now=now) is None:
        return TotpOutcome.LOCKED  # locked by failures counted while this code was on its way
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
