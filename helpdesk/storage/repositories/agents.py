"""Support agents; passwords only as argon2id hashes, TOTP secrets only encrypted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from argon2 import Parameters
from sqlalchemy import ColumnElement, CursorResult, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from helpdesk.core import totp
from helpdesk.core.passwords import PRODUCTION_COST, hash_password
from helpdesk.storage.models.agents import Agent

ROLES = ("agent", "admin")


async def by_username(session: AsyncSession, username: str) -> Agent | None:
    return (await session.scalars(select(Agent).where(Agent.username == username))).first()


async def get(session: AsyncSession, agent_id: int) -> Agent | None:
    return await session.get(Agent, agent_id)


async def add(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    role: str = "agent",
    display_name: str = "",
    language: str = "lv",
    cost: Parameters = PRODUCTION_COST,
) -> Agent:
    """Create an agent, or reset the password and role of an existing one (idempotent for the demo).

    A reset also enables the agent, lifts a lock and ends the sessions signed in with the old
    password. ``cost`` is the argon2 cost of the new hash (the tests pass a cheap one).
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    # first: a bad password must not leave a half-built row
    password_hash = hash_password(password, cost=cost)
    agent = await by_username(session, username)
    if agent is None:
        agent = Agent(username=username, password_hash=password_hash)
        session.add(agent)
    else:
        agent.session_generation += 1
    agent.password_hash = password_hash
    agent.role = role
    agent.display_name = display_name or username
    agent.language = language
    agent.active = True
    agent.failed_logins = 0
    agent.locked_until = None
    await session.flush()
    return agent


async def set_password(
    session: AsyncSession, agent: Agent, password: str, *, cost: Parameters = PRODUCTION_COST
) -> None:
    """A new password; every session signed in with the old one ends, and a lock is lifted."""
    password_hash = hash_password(password, cost=cost)
    await _bump(session, agent, password_hash=password_hash, failed_logins=0, locked_until=None)


async def set_active(session: AsyncSession, agent: Agent, active: bool) -> None:
    """Disable (every session ends at its next request) or enable an agent."""
    await _bump(session, agent, active=active)


async def end_sessions(session: AsyncSession, agent: Agent) -> None:
    """End every console session of ``agent`` (sign-out ends them on all devices, not only this one)."""
    await _bump(session, agent)


async def _bump(session: AsyncSession, agent: Agent, **values: Any) -> None:
    """Apply ``values`` and move the session generation on, in one UPDATE (two sign-outs at once
    both count; neither overwrites the other with a stale number)."""
    result = await session.execute(
        update(Agent)
        .where(Agent.id == agent.id)
        .values(session_generation=Agent.session_generation + 1, **values)
        .returning(Agent.session_generation)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(agent, "session_generation", result.scalar_one())
    for name, value in values.items():
        set_committed_value(agent, name, value)


async def list_all(session: AsyncSession) -> Sequence[Agent]:
    return (await session.scalars(select(Agent).order_by(Agent.username))).all()


def _unlocked(now: datetime) -> ColumnElement[bool]:
    return or_(Agent.locked_until.is_(None), Agent.locked_until <= now)


async def is_locked(session: AsyncSession, agent_id: int, *, now: datetime) -> bool:
    """Locked now, as stored (not as an object loaded earlier in the request remembers it)."""
    unlocked = await session.scalar(select(Agent.id).where(Agent.id == agent_id, _unlocked(now)))
    return unlocked is None


async def note_failed_login(
    session: AsyncSession, agent_id: int, *, now: datetime, lock_after: int, lock_for: timedelta
) -> bool:
    """Count a failed sign-in; the ``lock_after``-th in a row locks the account for ``lock_for``.

    One UPDATE that adds to the stored count (every expression on the right reads the row as it
    was), so failures that arrive together all count: on PostgreSQL the second waits for the
    first's row lock, then adds to its result. A failure while the account is locked does not count
    (the lock is not made longer by a guesser's attempts). Returns True when the account is locked
    now (by this failure or an earlier one).
    """
    reaches = Agent.failed_logins + 1 >= lock_after
    result = await session.execute(
        update(Agent)
        .where(Agent.id == agent_id, _unlocked(now))
        .values(
            failed_logins=case((reaches, 0), else_=Agent.failed_logins + 1),
            locked_until=case((reaches, now + lock_for), else_=Agent.locked_until),
        )
        .returning(Agent.locked_until)
        .execution_options(synchronize_session=False)
    )
    row = result.one_or_none()
    return row is None or row.locked_until is not None


async def note_login(session: AsyncSession, agent_id: int, *, now: datetime) -> int | None:
    """Reset the failure count of an active, unlocked agent whose sign-in succeeded.

    Returns the agent's session generation, for the new session cookie; None when the agent was
    locked or disabled meanwhile (by failures that arrived while this password was being checked):
    the lock is checked again here, in the same statement that takes the sign-in.
    """
    result = await session.execute(
        update(Agent)
        .where(Agent.id == agent_id, Agent.active.is_(True), _unlocked(now))
        .values(failed_logins=0, locked_until=None)
        .returning(Agent.session_generation)
        .execution_options(synchronize_session=False)
    )
    return result.scalar_one_or_none()


async def set_totp_secret(
    session: AsyncSession, agent: Agent, secret: str | None, *, secret_key: bytes
) -> None:
    """Enrol (or re-enrol) the agent's authenticator: ``secret`` (base32) is stored only sealed
    under ``secret_key``; None turns the second factor off."""
    await session.flush()  # a new agent gets its id, which the sealed value is bound to
    sealed = None if secret is None else totp.seal(secret_key, agent.id, secret)
    # a session signed in with the old second factor (or without one) ends
    await _bump(session, agent, totp_secret=sealed)


async def accept_totp_step(
    session: AsyncSession, agent: Agent, *, step: int, stored: str, store: str
) -> bool:
    """Take time step ``step`` as the agent's last accepted one, if it is later than that one.

    One conditional UPDATE: of two submissions of the same code only one changes the row (on
    PostgreSQL the second waits for the first's row lock, then finds the step taken; SQLite has
    one writer at a time), so a code seen over a shoulder cannot be used again (RFC 6238 §5.2).
    The row must still hold ``stored``: a re-enrolment in between is not overwritten. ``store`` is
    written as the secret (``stored`` itself, or a plaintext secret sealed at this sign-in).
    """
    result = await session.execute(
        update(Agent)
        .where(
            Agent.id == agent.id,
            Agent.totp_secret == stored,
            or_(Agent.totp_last_step.is_(None), Agent.totp_last_step < step),
        )
        .values(totp_last_step=step, totp_secret=store)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    if result.rowcount != 1:
        return False
    set_committed_value(agent, "totp_last_step", step)
    set_committed_value(agent, "totp_secret", store)
    return True
