"""What one casework action runs with, and how it says no.

An action raises :class:`Refused` with a message id (English, translated by whoever shows it: the
console's page, the API's error) when it may not happen; nothing was changed, because the caller's
transaction is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.casework import notify
from helpdesk.casework.texts import resident_gettext
from helpdesk.services import Services
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.models.requests import RequestStatus, SupportRequest
from helpdesk.storage.repositories import audit, requests

CLAIM_FIRST = "Claim this item first: another agent may be working on it, or your claim expired."


class Refused(Exception):
    def __init__(
        self, message: str, status: int = 409, *, audit_action: str | None = None, **values: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.values = values
        # A refusal worth remembering (a wrong personal code) is logged after the rollback.
        self.audit_action = audit_action


def holds(item: SupportRequest, agent_id: int, now: datetime) -> bool:
    """The agent holds a live claim on the open item (read only: the item page and a confirmation
    step ask this without renewing the lease)."""
    return (
        item.status != RequestStatus.CLOSED
        and item.assignee_id == agent_id
        and item.lease_expires_at is not None
        and item.lease_expires_at > now
    )


@dataclass(frozen=True, slots=True)
class CaseRules:
    """The settings casework applies beyond those in ``Services``, each taken from its own group by
    :func:`helpdesk.app.case_rules`: how long a claim lasts (``HELPDESK_CLAIM_LEASE_MINUTES``, the
    console's group: only agents claim) and where an agent's answer becomes a knowledge-base entry
    (``HELPDESK_KB_EXTRA_DIR``, the knowledge group's)."""

    claim_lease_minutes: int
    kb_extra_dir: Path


@dataclass(frozen=True, slots=True)
class Context:
    session: AsyncSession
    services: Services
    rules: CaseRules
    agent: Agent
    item: SupportRequest
    form: dict[str, str]

    @property
    def now(self) -> datetime:
        return self.services.clock()

    @property
    def actor(self) -> str:
        return f"agent:{self.agent.id}"

    @property
    def lease(self) -> timedelta:
        return timedelta(minutes=self.rules.claim_lease_minutes)

    def field(self, name: str, limit: int = 2000) -> str:
        return self.form.get(name, "").strip()[:limit]

    async def log(self, action: str, **detail: Any) -> None:
        await audit.record(
            self.session,
            actor=self.actor,
            action=action,
            request_id=self.item.id,
            detail=detail,
            now=self.now,
        )

    async def hold(self) -> None:
        """The caller must hold a live claim (renewed by every action)."""
        if not await requests.renew(
            self.session, request_id=self.item.id, agent_id=self.agent.id, now=self.now, lease=self.lease
        ):
            raise Refused(CLAIM_FIRST)

    def ref(self) -> str:
        return f"#{self.item.id}"

    async def tell_resident(self, text: str, key: str, *, subject: str = "", language: str = "") -> str:
        """Queue ``text`` to the resident on the item's channel, in ``language`` (the item's by
        default); returns the channel, or "none" (:data:`notify.NONE`) when nothing could be sent."""
        language = language or self.item.language
        _ = resident_gettext(language)
        return await notify.answer(
            self.session,
            self.services.outbox,
            self.item,
            subject=subject or _("Your request {ref}").format(ref=self.ref()),
            text=text,
            dedupe_key=f"console:{self.item.id}:{key}",
            language=language,
        )
