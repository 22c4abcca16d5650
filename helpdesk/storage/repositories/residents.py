"""Residents: upsert from the portal's export, look-ups by id and by an address on record, and the
agents' search by name, address or e-mail."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from helpdesk.core.text import search_key, search_words
from helpdesk.storage.models.residents import Resident


@dataclass(frozen=True, slots=True)
class KnownResident:
    """What the handlers check about the resident behind an inquiry (ids and addresses on record),
    read once per inquiry by the dispatcher and passed on in the handler context."""

    id: str
    invoice_email: str | None
    news_email: str | None


_R = Resident.__table__.c
# Built once: the dispatcher runs it for every inquiry from a linked or verified resident.
_KNOWN = select(_R.id, _R.invoice_email, _R.news_email).where(_R.id == bindparam("p_id", type_=_R.id.type))


async def known(connection: AsyncConnection, resident_id: str) -> KnownResident | None:
    """The resident with this id, or None when there is none (a stale link after a deletion)."""
    row = (await connection.execute(_KNOWN, {"p_id": resident_id})).first()
    return None if row is None else KnownResident(id=row[0], invoice_email=row[1], news_email=row[2])


async def get(session: AsyncSession, resident_id: str) -> Resident | None:
    return await session.get(Resident, resident_id)


async def upsert(
    session: AsyncSession,
    *,
    resident_id: str,
    name: str,
    address: str = "",
    invoice_email: str | None = None,
    news_email: str | None = None,
    language: str = "lv",
    personal_code_hmac: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Insert or update; returns True when the resident is new. A missing personal code keeps
    the stored hash (the portal may export it only once)."""
    resident = await session.get(Resident, resident_id)
    created = resident is None
    if resident is None:
        resident = Resident(id=resident_id)
        session.add(resident)
    resident.name = name
    resident.address = address
    resident.invoice_email = invoice_email.strip().lower() if invoice_email else None
    resident.news_email = news_email.strip().lower() if news_email else None
    resident.language = language
    if personal_code_hmac is not None:
        resident.personal_code_hmac = personal_code_hmac
    _index(resident)
    if now is not None:
        resident.updated_at = now
    await session.flush()
    return created


def _index(resident: Resident) -> None:
    resident.search_key = search_key(
        resident.name, resident.address, resident.invoice_email, resident.news_email
    )


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def search(session: AsyncSession, query: str, *, limit: int) -> Sequence[Resident]:
    """Residents whose name, address or an address on record hold every word of ``query``, in any
    case and with or without diacritics ("berzins brivibas" finds Bērziņš at Brīvības iela); at
    most ``limit``, by id. An empty query finds nobody."""
    words = search_words(query)
    if not words:
        return []
    statement = select(Resident).order_by(Resident.id).limit(limit)
    for word in words:
        statement = statement.where(Resident.search_key.like(_like(word), escape="\\"))
    return (await session.scalars(statement)).all()


async def by_emails(session: AsyncSession, addresses: Iterable[str]) -> dict[str, list[Resident]]:
    """Residents with these addresses on record (invoice or news address), case-insensitively, in
    one query for a whole batch: address (stripped, lower case) -> residents (only addresses found)."""
    wanted = {address.strip().lower() for address in addresses if address.strip()}
    if not wanted:
        return {}
    rows = await session.scalars(
        select(Resident)
        .where(
            or_(
                func.lower(Resident.invoice_email).in_(sorted(wanted)),
                func.lower(Resident.news_email).in_(sorted(wanted)),
            )
        )
        .order_by(Resident.id)
    )
    found: dict[str, list[Resident]] = {}
    for resident in rows:
        for address in {(resident.invoice_email or "").lower(), (resident.news_email or "").lower()}:
            if address in wanted:
                found.setdefault(address, []).append(resident)
    return found


async def set_news_email(session: AsyncSession, resident_id: str, address: str | None) -> None:
    resident = await session.get(Resident, resident_id)
    if resident is not None:
        resident.news_email = address.strip().lower() if address else None
        _index(resident)
        await session.flush()
