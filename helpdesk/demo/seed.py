"""Seeding the demo database. Every step checks what is already there, so running it twice is safe."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.casework.importing import store_invoice, store_resident
from helpdesk.core.deadlines import add_months, gdpr_deadline, question_deadline
from helpdesk.core.records import InvoiceRecord, ResidentRecord
from helpdesk.demo.data import (
    ACCESS_REQUEST_RESIDENT,
    ACCESS_TEXT,
    CORRECTION_QUESTION,
    CORRECTION_RESIDENT,
    CORRECTION_TEXT,
    QUESTION_RESIDENT,
    QUESTION_TEXT,
    RESIDENTS,
    SERVICES,
    DemoResident,
)
from helpdesk.demo.pdf import render_invoice
from helpdesk.handlers.consent_text import version_at
from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.conversations import Conversation
from helpdesk.storage.models.requests import IdentityState, RequestKind, RequestStatus, SupportRequest
from helpdesk.storage.repositories import agents, audit, consent, conversations, links, requests, residents

DEMO_AGENT = "demo"
MONTHS = 3


@dataclass(frozen=True, slots=True)
class DemoSummary:
    residents: int
    invoices: int
    agent: str
    password: str
    existed: bool  # an earlier run had seeded this database (its demo agent was there)
    new_invoices: int  # stored by this run: all of them at first, a new month's later


def read_or_create_secret(path: Path, length: int = 32) -> str:
    """A secret kept in the demo's var directory (mode 0600), the same on every run."""
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        if value:
            return value
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(length)
    path.write_text(value + "\n", encoding="utf-8")
    path.chmod(0o600)
    return value


def _periods(today: date) -> list[str]:
    """The last MONTHS full months, oldest first."""
    first = today.replace(day=1)
    result = []
    for back in range(MONTHS, 0, -1):
        month = add_months(datetime(first.year, first.month, 1), -back)
        result.append(f"{month:%Y-%m}")
    return result


def _lines(resident: DemoResident, month_index: int) -> list[tuple[str, Decimal]]:
    # Heating grows towards winter, so the amounts differ month to month.
    factor = Decimal("1") + Decimal(month_index) * Decimal("0.08")
    return [
        (label, (resident.base_amount * share * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        for label, share in SERVICES
    ]


async def seed(
    services: Services, var_dir: Path, agent_password: str, *, max_upload_bytes: int
) -> DemoSummary:
    """``max_upload_bytes`` (``HELPDESK_API_MAX_UPLOAD_BYTES``) binds the demo's invoices as it binds
    an import's."""
    now = services.clock()
    source_dir = var_dir / "generated-pdfs"
    invoice_count = new_invoices = 0
    async with services.sessions() as session, write_transaction(session):
        # The seed is one transaction and adds the agent last: an agent means a whole earlier run.
        existed = await agents.by_username(session, DEMO_AGENT) is not None
        for resident in RESIDENTS:
            if await residents.get(session, resident.id) is not None:
                continue  # kept as it is: an agent may have corrected it in the console
            await store_resident(
                session,
                ResidentRecord(
                    id=resident.id,
                    name=resident.name,
                    address=resident.address,
                    invoice_email=resident.invoice_email,
                    news_email=resident.news_email,
                    language=resident.language,
                    personal_code=resident.personal_code,
                ),
                services.security,
            )
        for index, period in enumerate(_periods(now.date())):
            year, month = (int(part) for part in period.split("-"))
            due = date(year, month, 1) + timedelta(days=49)
            for resident in RESIDENTS:
                invoice_id = f"INV-{period}-{resident.id}"
                lines = _lines(resident, index)
                pdf = source_dir / f"{invoice_id}.pdf"
                if not pdf.is_file():
                    render_invoice(
                        pdf,
                        invoice_id=invoice_id,
                        name=resident.name,
                        address=resident.address,
                        period=period,
                        due=due,
                        lines=lines,
                    )
                record = InvoiceRecord(
                    id=invoice_id,
                    resident_id=resident.id,
                    period=period,
                    amount=sum((amount for _label, amount in lines), Decimal("0")),
                    currency="EUR",
                    due_date=due,
                    file=pdf.name,
                )
                new_invoices += await store_invoice(
                    session, record, pdf.read_bytes(), services.storage, max_bytes=max_upload_bytes
                )
                invoice_count += 1
        await _consent_history(session, now)
        await _queue(session, services.conversation.question_answer_hours, now)
        agent = await agents.add(
            session, username=DEMO_AGENT, password=agent_password, role="admin", display_name="Demo"
        )
        await _waiting_correction(session, agent.id, now)
    return DemoSummary(len(RESIDENTS), invoice_count, DEMO_AGENT, agent_password, existed, new_invoices)


async def _consent_history(session: AsyncSession, now: datetime) -> None:
    plan = {
        # resident: [(days ago, granted, channel, email)]
        "R-1001": [(60, True, "email", "janis.berzins@example.lv")],
        "R-1002": [
            (90, True, "telegram", "liga.zinas@example.lv"),
            (20, False, "telegram", "liga.zinas@example.lv"),
        ],
        "R-1003": [(30, True, "telegram", "ivans.petrovs@example.lv")],
    }
    for resident_id, events in plan.items():
        if await consent.history(session, resident_id):
            continue
        language = next(r.language for r in RESIDENTS if r.id == resident_id)
        for days_ago, granted, channel, email in events:
            when = now - timedelta(days=days_ago)
            await consent.record(
                session,
                resident_id=resident_id,
                granted=granted,
                email=email,
                channel=channel,
                evidence=f"demo:{resident_id}:{days_ago}",
                text_version=version_at(language, when),  # the wording shown on that day
                now=when,
            )


async def _queue(session: AsyncSession, answer_hours: int, now: datetime) -> None:
    if not await requests.list_items(
        session, resident_id=ACCESS_REQUEST_RESIDENT, kinds=[RequestKind.ACCESS]
    ):
        await _mailed_request(
            session,
            kind=RequestKind.ACCESS,
            resident_id=ACCESS_REQUEST_RESIDENT,
            contact="liga.kalnina@example.lv",
            language="lv",
            text=ACCESS_TEXT,
            received=now - timedelta(days=3),
            external_ref="<demo-access@example.lv>",
        )
    if not await requests.list_items(session, resident_id=QUESTION_RESIDENT, kinds=[RequestKind.QUESTION]):
        received = now - timedelta(hours=5)
        # The question came from the resident's linked chat, as the console says ("linked chat").
        await links.bind(
            session,
            resident_id=QUESTION_RESIDENT,
            telegram_user_id=700000003,
            chat_id=700000003,
            language="ru",
            now=now - timedelta(days=20),
        )
        conversation = await conversations.open_for(
            session,
            channel="telegram",
            contact="700000003",
            resident_id=QUESTION_RESIDENT,
            language="ru",
            now=received,
        )
        await conversations.add_message(
            session, conversation, direction="in", author="resident", text=QUESTION_TEXT, now=received
        )
        await requests.create(
            session,
            kind=RequestKind.QUESTION,
            channel="telegram",
            contact="700000003",
            received_at=received,
            deadline_at=question_deadline(received, answer_hours),
            resident_id=QUESTION_RESIDENT,
            conversation_id=conversation.id,
            language="ru",
            summary=QUESTION_TEXT,
            identity=IdentityState.VERIFIED,
            identity_how="telegram: linked chat",
        )


async def _waiting_correction(session: AsyncSession, agent_id: int, now: datetime) -> None:
    """A correction request the demo agent answered with a question two days ago and parked as
    waiting for the resident, so the queue shows that state and its mark from the start. Its trail
    is what the console would have written (created, claim, reply, wait); the claim has lapsed, as
    it does while a resident takes days to answer."""
    if await requests.list_items(session, resident_id=CORRECTION_RESIDENT, kinds=[RequestKind.CORRECTION]):
        return
    received, asked = now - timedelta(days=4), now - timedelta(days=2)
    mail, item = await _mailed_request(
        session,
        kind=RequestKind.CORRECTION,
        resident_id=CORRECTION_RESIDENT,
        contact="olga.smirnova@example.lv",
        language="ru",
        text=CORRECTION_TEXT,
        received=received,
        external_ref="<demo-correction@example.lv>",
    )
    actor = f"agent:{agent_id}"
    await audit.record(
        session,
        actor=f"resident:{CORRECTION_RESIDENT}",
        action="request.created",
        request_id=item.id,
        detail={"kind": "correction"},
        now=received,
    )
    await conversations.add_message(
        session, mail, direction="out", author=actor, text=CORRECTION_QUESTION, now=asked
    )
    trail: tuple[tuple[str, dict[str, str]], ...] = (
        ("claim", {}),
        ("reply", {"channel": "email", "nonce": "demo"}),
        ("wait", {"deadline": item.deadline_at.isoformat()}),
    )
    for action, detail in trail:
        await audit.record(session, actor=actor, action=action, request_id=item.id, detail=detail, now=asked)
    item.assignee_id, item.lease_expires_at = agent_id, asked + timedelta(minutes=30)
    item.status, item.waiting_since = RequestStatus.WAITING, asked


async def _mailed_request(
    session: AsyncSession,
    *,
    kind: RequestKind,
    resident_id: str,
    contact: str,
    language: str,
    text: str,
    received: datetime,
    external_ref: str,
) -> tuple[Conversation, SupportRequest]:
    """A GDPR request mailed from the address on the resident's record, as the mailbox files it:
    the mail in its conversation (so it is on the item page) and the item, identity verified, with
    the one-month deadline. The mail's third line (after the greeting) is the queue's summary."""
    mail = await conversations.open_for(
        session, channel="email", contact=contact, resident_id=resident_id, language=language, now=received
    )
    await conversations.add_message(session, mail, direction="in", author="resident", text=text, now=received)
    item = await requests.create(
        session,
        kind=kind,
        channel="email",
        contact=contact,
        received_at=received,
        deadline_at=gdpr_deadline(received),
        resident_id=resident_id,
        language=language,
        conversation_id=mail.id,
        summary=text.splitlines()[2],
        identity=IdentityState.VERIFIED,
        identity_how="email: address on record",
        external_ref=external_ref,
    )
    return mail, item
