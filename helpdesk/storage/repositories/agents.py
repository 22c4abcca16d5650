"""Support agents; passwords only as argon2id hashes, TOTP secrets only encrypted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from helpdesk.core import totp
from helpdesk.core.passwords import hash_password, verify_password
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
) -> Agent:
    """Create an agent, or reset the password and role of an existing one (idempotent for the demo)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    password_hash = hash_password(password)  # first: a bad password must not leave a half-built row
    agent = await by_username(session, username)
    if agent is None:
        agent = Agent(username=username, password_hash=password_hash)
        session.add(agent)
    agent.password_hash = password_hash
    agent.role = role
    agent.display_name = display_name or username
    agent.language = language
    agent.active = True
    agent.failed_logins = 0
    agent.locked_until = None
    await session.flush()
    return agent


async def check_password(session: AsyncSession, username: str, password: str) -> Agent | None:
    """The active agent if the password matches, else None (no hint which part was wrong)."""
    agent = await by_username(session, username)
    if agent is None or not agent.active:
        return None
    return agent if verify_password(agent.password_hash, password) else None


async def list_all(session: AsyncSession) -> Sequence[Agent]:
    return (await session.scalars(select(Agent).order_by(Agent.username))).all()


async def note_failed_login(
    session: AsyncSession, agent: Agent, *, now: datetime, lock_after: int, lock_for: timedelta
) -> None:
    """Count a failed sign-in; after ``lock_after`` in a row the account waits ``lock_for``."""
    agent.failed_logins += 1
    if agent.failed_logins >= lock_after:
        agent.locked_until = now + lock_for
        agent.failed_logins = 0
    await session.flush()


async def note_login(session: AsyncSession, agent: Agent) -> None:
    agent.failed_logins = 0
    agent.locked_until = None
    await session.flush()


async def set_totp_secret(
    session: AsyncSession, agent: Agent, secret: str | None, *, secret_key: bytes
) -> None:
    """Enrol (or re-enrol) the agent's authenticator: ``secret`` (base32) is stored only sealed
    under ``secret_key``; None turns the second factor off."""
    await session.flush()  # a new agent gets its id, which the sealed value is bound to
    agent.totp_secret = None if secret is None else totp.seal(secret_key, agent.id, secret)
    await session.flush()


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
