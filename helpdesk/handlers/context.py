"""What one handler call works with: the inquiry, the open database session, the translator."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from babel.numbers import format_currency
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from helpdesk.core.conversation import ConversationState
from helpdesk.core.types import Channel, Inquiry, Reply, ReplyKind
from helpdesk.i18n import dates, gettext_for
from helpdesk.services import Services
from helpdesk.settings import ConversationSettings
from helpdesk.storage.repositories import residents
from helpdesk.storage.repositories.residents import KnownResident


@dataclass
class Context:
    inquiry: Inquiry
    services: Services
    session: AsyncSession
    language: str
    now: datetime
    conversation_id: int | None = None
    #: The verified resident (the dispatcher read it to trust ``inquiry.resident_id``), so handlers
    #: do not read it again; :meth:`known_resident` reads it when a context was built without it.
    resident: KnownResident | None = None
    #: The session's connection for this unit of work (Core statements on the hot path).
    db: AsyncConnection | None = field(default=None, repr=False)
    #: What the conversation waited for and offered before this inquiry (read with the conversation).
    state: ConversationState = field(default_factory=ConversationState)

    async def connection(self) -> AsyncConnection:
        """The connection the session's transaction runs on (fetched once per context)."""
        if self.db is None:
            self.db = await self.session.connection()
        return self.db

    async def known_resident(self) -> KnownResident | None:
        """The resident ``inquiry.resident_id`` names, if there is one."""
        resident_id = self.inquiry.resident_id
        if resident_id is None:
            return None
        if self.resident is None or self.resident.id != resident_id:
            self.resident = await residents.known(await self.connection(), resident_id)
        return self.resident

    @property
    def settings(self) -> ConversationSettings:
        """The conversation rules: the one settings group handlers apply (``HELPDESK_MAX_TEXT_LENGTH``
        and the like). Where invoices are kept and the secret key are ``services.storage`` and
        ``services.security``."""
        return self.services.conversation

    @property
    def resident_id(self) -> str | None:
        return self.inquiry.resident_id

    @property
    def channel(self) -> Channel:
        return self.inquiry.channel

    @property
    def actor(self) -> str:
        """How the audit log names the person on the other side (ids only, never names)."""
        if self.inquiry.resident_id:
            return f"resident:{self.inquiry.resident_id}"
        return f"{self.inquiry.channel}:{self.inquiry.sender}"[:64]

    def _(self, msgid: str) -> str:
        return gettext_for("helpdesk", self.language).gettext(msgid)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """A text with a count, in the form the number takes (lv and ru: 1/21 час, 2 часа, 5 часов)."""
        return gettext_for("helpdesk", self.language).ngettext(singular, plural, n)

    def reply(self, text: str, kind: ReplyKind = ReplyKind.ANSWER, **fields: Any) -> Reply:
        fields.setdefault("resident_id", self.inquiry.resident_id)
        return Reply(text=text, kind=kind, language=self.language, **fields)

    def date(self, value: date | datetime) -> str:
        """The Riga day as the resident's language writes it (see :mod:`helpdesk.i18n.dates`)."""
        return dates.day(value, self.language)

    def datetime(self, value: datetime) -> str:
        return dates.moment(value, self.language)

    def money(self, amount: Decimal, currency: str) -> str:
        return str(format_currency(amount, currency, locale=self.language))
