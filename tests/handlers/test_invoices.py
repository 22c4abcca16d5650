"""Invoices: only the asker's own, verified files, and refusals that reveal nothing."""

from __future__ import annotations

import asyncio
import os

import pytest

from helpdesk.core.matching import Decision, Match
from helpdesk.core.types import Action, Channel, Inquiry, ReplyKind
from helpdesk.handlers import invoices as invoices_handler
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models.requests import RequestKind
from helpdesk.storage.repositories import requests
from tests.records import add_placeholder_invoice

from .conftest import FakeMatcher, action, telegram


async def test_unlinked_resident_asking_for_invoice_is_told_how_to_link(seeded: Services) -> None:
    reply = await handle(action(Action.INVOICE, resident=None, user=999), seeded)
    assert reply.kind is ReplyKind.REFUSAL
    assert not reply.documents
    assert "Savienot ar Telegram" in reply.text  # Latvian, the default language


async def test_latest_invoice_is_the_newest_period_with_a_verified_file(seeded: Services) -> None:
    reply = await handle(action(Action.INVOICE), seeded)
    assert reply.kind is ReplyKind.ANSWER
    (document,) = reply.documents
    assert document.invoice_id == "INV-2025-12-R-1"
    assert document.path.is_absolute() and document.path.is_file()
    assert document.path.is_relative_to(seeded.storage.invoice_dir.resolve())
    assert "2025. gada decembri" in document.caption and "54,20" in document.caption
    assert "20.01.2026" in document.caption
    assert reply.personal_data


async def test_free_text_routes_through_matcher_to_invoice(seeded: Services) -> None:
    reply = await handle(telegram("rēķins"), seeded)
    assert reply.documents and reply.documents[0].invoice_id == "INV-2025-12-R-1"


async def test_invoice_by_period_and_list(seeded: Services) -> None:
    listing = await handle(action(Action.INVOICE_LIST), seeded)
    assert listing.kind is ReplyKind.QUESTION
    periods = [row[0].args["period"] for row in listing.buttons]
    assert periods == ["2025-12", "2025-11"]
    reply = await handle(action(Action.INVOICE_PERIOD, period="2025-11"), seeded)
    assert reply.documents[0].invoice_id == "INV-2025-11-R-1"


async def test_other_residents_invoice_is_refused_like_a_missing_one(seeded: Services) -> None:
    by_id = await handle(action(Action.INVOICE_PERIOD, invoice_id="INV-2025-10-R-2"), seeded)
    by_period = await handle(action(Action.INVOICE_PERIOD, period="2025-10"), seeded)
    missing = await handle(action(Action.INVOICE_PERIOD, invoice_id="INV-NOPE"), seeded)
    for reply in (by_id, by_period, missing):
        assert reply.kind is ReplyKind.REFUSAL
        assert not reply.documents
    assert by_id.text == by_period.text == missing.text


async def test_path_traversal_in_invoice_id_is_refused(seeded: Services) -> None:
    reply = await handle(action(Action.INVOICE_PERIOD, invoice_id="../../etc/passwd"), seeded)
    assert reply.kind is ReplyKind.REFUSAL and not reply.documents


async def test_tampered_file_is_not_sent_and_goes_to_a_person(seeded: Services) -> None:
    path = seeded.storage.invoice_dir / "INV-2025-12-R-1.pdf"
    path.write_bytes(b"%PDF-1.4 changed")
    reply = await handle(action(Action.INVOICE), seeded)
    assert reply.kind is ReplyKind.ERROR
    assert not reply.documents
    async with seeded.sessions() as session:
        items = await requests.list_items(session, kinds=[RequestKind.QUESTION])
    assert [item.id for item in items] == [reply.request_id]


async def test_a_file_rewritten_after_a_remembered_check_is_hashed_again(
    seeded: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hash of a settled file is remembered; same size, same mtime, new bytes is still caught
    (utime cannot set the ctime: the test shortens the settling time instead of waiting 2 s)."""
    monkeypatch.setattr(invoices_handler, "_SETTLED_NS", 0)
    path = seeded.storage.invoice_dir / "INV-2025-12-R-1.pdf"
    old = path.stat()
    os.utime(path, ns=(old.st_atime_ns - 3_600 * 10**9, old.st_mtime_ns - 3_600 * 10**9))
    settled = path.stat()
    for _ in range(2):  # the second send uses the remembered check
        assert (await handle(action(Action.INVOICE), seeded)).documents
    assert invoices_handler._stat_key(path.resolve(), settled) in invoices_handler._VERIFIED
    await asyncio.sleep(0.05)  # past the file system's timestamp tick, so the ctime moves
    content = path.read_bytes()
    path.write_bytes(content[:-8] + b"TAMPERED")  # same size, in place (same inode)
    os.utime(path, ns=(settled.st_atime_ns, settled.st_mtime_ns))  # and the old mtime
    reply = await handle(action(Action.INVOICE), seeded)
    assert reply.kind is ReplyKind.ERROR and not reply.documents


async def test_a_freshly_written_file_is_not_remembered(seeded: Services) -> None:
    """Within the timestamp granularity a rewrite could keep size and mtime: hash it every time."""
    path = (seeded.storage.invoice_dir / "INV-2025-12-R-1.pdf").resolve()
    assert (await handle(action(Action.INVOICE), seeded)).documents
    assert invoices_handler._stat_key(path, path.stat()) not in invoices_handler._VERIFIED


async def test_email_invoice_only_from_the_invoice_address(seeded: Services) -> None:
    ok = Inquiry(channel=Channel.EMAIL, sender="janis@example.lv", resident_id="R-1", action=Action.INVOICE)
    assert (await handle(ok, seeded)).documents
    other = Inquiry(
        channel=Channel.EMAIL, sender="news-only@example.lv", resident_id="R-1", action=Action.INVOICE
    )
    reply = await handle(other, seeded)
    assert reply.kind is ReplyKind.REFUSAL and not reply.documents


async def test_russian_texts(seeded: Services) -> None:
    reply = await handle(telegram(resident=None, user=5, language="ru", action=Action.INVOICE), seeded)
    assert "Подключить Telegram" in reply.text


@pytest.mark.parametrize(
    ("text", "invoice_id"),
    [
        ("atsūtiet rēķinu par novembri", "INV-2025-11-R-1"),
        ("rēķins par 2025-11", "INV-2025-11-R-1"),
        ("rēķins 11.2025", "INV-2025-11-R-1"),
        ("пришлите счёт за ноябрь", "INV-2025-11-R-1"),
        ("the November invoice please", "INV-2025-11-R-1"),
        ("decembra rēķins", "INV-2025-12-R-1"),
        ("atsūtiet rēķinu", "INV-2025-12-R-1"),  # no period: the latest
        ("may I have my invoice?", "INV-2025-12-R-1"),  # English "may" is not May
    ],
)
async def test_a_period_named_in_free_text_gets_that_invoice(
    seeded: Services, text: str, invoice_id: str
) -> None:
    matcher = seeded.matcher
    assert isinstance(matcher, FakeMatcher)
    matcher.routes[text] = Match("action:invoice", 90.0, Decision.ANSWER, "lv")
    reply = await handle(telegram(text), seeded)
    assert [document.invoice_id for document in reply.documents] == [invoice_id]


async def test_a_named_month_without_an_invoice_is_not_answered_with_another(seeded: Services) -> None:
    matcher = seeded.matcher
    assert isinstance(matcher, FakeMatcher)
    for text in ("rēķins par oktobri", "счёт за октябрь 2025", "invoice for 2024-11"):
        matcher.routes[text] = Match("action:invoice", 90.0, Decision.ANSWER, "lv")
        reply = await handle(telegram(text), seeded)
        assert reply.kind is ReplyKind.REFUSAL and not reply.documents  # R-2 has 2025-10, R-1 not
        assert reply.buttons[0][0].action is Action.INVOICE_LIST


async def test_a_period_older_than_the_periods_read_for_the_text_is_still_found(seeded: Services) -> None:
    """Free text is read against the 24 newest periods; an older one named outright is looked up."""
    async with seeded.sessions() as session, session.begin():
        for month in range(24):
            period = f"{2026 + month // 12}-{month % 12 + 1:02d}"
            await add_placeholder_invoice(session, f"INV-{period}-R-1", "R-1", period, "10.00")
    matcher = seeded.matcher
    assert isinstance(matcher, FakeMatcher)
    text = "rēķins par 2025-11"
    matcher.routes[text] = Match("action:invoice", 90.0, Decision.ANSWER, "lv")
    reply = await handle(telegram(text), seeded)
    assert [document.invoice_id for document in reply.documents] == ["INV-2025-11-R-1"]
