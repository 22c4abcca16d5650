"""Smaller paths: masking, English formats, e-mail refusals, empty accounts."""

from __future__ import annotations

from helpdesk.core.types import Action, Channel, Inquiry, ReplyKind
from helpdesk.handlers.commands import LISTED
from helpdesk.handlers.dispatch import handle
from helpdesk.handlers.identify import masked_account
from helpdesk.services import Services
from helpdesk.storage.models import Resident
from helpdesk.storage.repositories import links, residents

from .conftest import NOW, action


def test_masked_account() -> None:
    assert masked_account(Resident(name="Jānis Bērziņš", address="Brīvības iela 1-5, Rīga")) == (
        "Jānis B., Brīvības iela 1-…"
    )
    assert masked_account(Resident(name="Anna Marija Ozola", address="Liepu iela 3, Cēsis")) == (
        "Anna O., Liepu iela 3, …"
    )
    assert masked_account(Resident(name="SIA Nams", address="")) == "SIA N."
    assert masked_account(Resident(name="Ozols", address="")) == "O…"


async def test_english_invoice_caption(seeded: Services) -> None:
    reply = await handle(_en(Action.INVOICE), seeded)
    assert reply.documents
    assert "€54.20" in reply.documents[0].caption and "20 Jan 2026" in reply.documents[0].caption


def _en(act: Action) -> Inquiry:
    """R-1 in the terminal chat in English (on Telegram, R-1's link says Latvian, and it wins)."""
    return Inquiry(channel=Channel.CHAT, sender="chat:R-1", resident_id="R-1", action=act, language="en-GB")


async def test_unknown_email_sender_is_told_to_write_from_the_address_on_record(seeded: Services) -> None:
    inquiry = Inquiry(
        channel=Channel.EMAIL, sender="stranger@example.lv", action=Action.CONSENT_STATUS, language="en"
    )
    reply = await handle(inquiry, seeded)
    assert reply.kind is ReplyKind.REFUSAL
    assert "registered on your account" in reply.text


async def test_resident_without_invoices(seeded: Services) -> None:
    async with seeded.sessions() as session, session.begin():
        await residents.upsert(session, resident_id="R-9", name="Jauns Iedzīvotājs")
        await links.bind(session, resident_id="R-9", telegram_user_id=9, chat_id=9, language="lv", now=NOW)
    for act in (Action.INVOICE, Action.INVOICE_LIST):
        reply = await handle(action(act, resident="R-9", user=9), seeded)
        assert reply.kind is ReplyKind.ANSWER and not reply.documents
        assert "vēl nav neviena rēķina" in reply.text


async def test_correction_without_text_asks_what_is_wrong(seeded: Services) -> None:
    reply = await handle(action(Action.CORRECTION_REQUEST), seeded)
    assert reply.request_id and "kas ir nepareizi" in reply.text


async def test_request_confirm_with_unknown_kind(seeded: Services) -> None:
    reply = await handle(action(Action.REQUEST_CONFIRM, kind="delete-everything"), seeded)
    assert reply.kind is ReplyKind.REFUSAL and reply.request_id is None
    ok = await handle(action(Action.REQUEST_CONFIRM, kind="access"), seeded)
    assert ok.request_id is not None


async def test_link_cancel_and_help(seeded: Services) -> None:
    assert (
        await handle(action(Action.LINK_CANCEL, resident=None, user=5), seeded)
    ).text == "Nekas netika piesaistīts."
    help_reply = await handle(action(Action.HELP), seeded)
    listed = [line.split(" – ")[0] for line in help_reply.text.splitlines() if line.startswith("/")]
    assert listed == [f"/{command.name}" for command in LISTED]  # the commands the channels read
    assert "/invoice – Jaunākais rēķins" in help_reply.text


async def test_unlink_by_email_is_refused(seeded: Services) -> None:
    inquiry = Inquiry(
        channel=Channel.EMAIL, sender="janis@example.lv", resident_id="R-1", action=Action.UNLINK
    )
    assert (await handle(inquiry, seeded)).kind is ReplyKind.REFUSAL
