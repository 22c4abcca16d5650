"""Support agents; passwords only as argon2id hashes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

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


async def set_totp_secret(session: AsyncSession, agent: Agent, secret: str | None) -> None:
    agent.totp_secret = secret
    await session.flush()
