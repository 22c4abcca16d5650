"""The outbox side without a server: what enqueue_email_reply refuses and what a composed mail carries
(the unsubscribe tokens themselves are tested in tests/core, their withdrawal in tests/handlers)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from helpdesk.app import build_services, mail_config
from helpdesk.core.types import Document
from helpdesk.mailbox.compose import AttachmentProblem, compose
from helpdesk.mailbox.config import MailConfig
from helpdesk.mailbox.outgoing import PersonalDataRefused, enqueue_email_reply
from helpdesk.services import Services
from helpdesk.settings import Settings, load_settings
from tests.mailbox.conftest import MailMatcher, body, seed


def _settings(database_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        database_url=database_url,
        invoice_dir=tmp_path / "invoices",
        secret_key="mailbox-test-key-Hs5dK8pL2xWq9NbR4tZv7CmJ",
        mail_from="Klientiem.lv atbalsts <info@klientiem.test>",
        console_public_url="https://helpdesk.klientiem.test/",
    )


@pytest.fixture
def config(database_url: str, tmp_path: Path) -> MailConfig:
    return mail_config(_settings(database_url, tmp_path))


@pytest.fixture
async def services(database_url: str, tmp_path: Path) -> AsyncIterator[Services]:
    built = build_services(_settings(database_url, tmp_path), matcher=MailMatcher())
    await seed(built)
    yield built
    await built.aclose()


def _invoice(services: Services) -> Document:
    path = services.storage.invoice_dir / "INV-2025-12-R-1.pdf"
    from helpdesk.mailbox.outgoing import file_sha256

    return Document(path=path, filename=path.name, caption="Rēķins", sha256=file_sha256(path))


async def test_personal_documents_go_only_to_the_invoice_address(services: Services) -> None:
    async with services.sessions() as session, session.begin():
        for to, resident in (
            ("stranger@attacker.test", "R-1"),
            ("janis@example.lv", None),
            ("ivan@example.lv", "R-1"),
        ):
            with pytest.raises(PersonalDataRefused):
                await enqueue_email_reply(
                    session,
                    to=to,
                    subject="x",
                    body_text="x",
                    language="lv",
                    attachments=[_invoice(services)],
                    resident_id=resident,
                )
        row = await enqueue_email_reply(
            session,
            to="Janis@Example.lv",
            subject="Rēķins",
            body_text="Pielikumā.",
            language="lv",
            attachments=[_invoice(services)],
            resident_id="R-1",
        )
    assert row.recipient == "janis@example.lv"


@pytest.mark.parametrize(
    "to", ["a@b.lv, c@d.lv", "a@b.lv\r\nBcc: c@d.lv", "Jānis <a@b.lv>", "not-an-address", "a@b.lv>"]
)
async def test_only_one_plain_address_is_accepted(services: Services, to: str) -> None:
    async with services.sessions() as session:
        with pytest.raises(ValueError, match="plain e-mail address"):
            await enqueue_email_reply(session, to=to, subject="x", body_text="x", language="lv")


async def test_the_composed_mail_has_our_headers_and_is_the_same_on_every_retry(
    services: Services, config: MailConfig
) -> None:
    async with services.sessions() as session, session.begin():
        row = await enqueue_email_reply(
            session,
            to="janis@example.lv",
            subject="Re: Jaunumi\r\nBcc: x@y.lv",
            body_text="Paldies!",
            language="lv",
            in_reply_to="<q@example.lv>",
            references="<root@example.lv> <q@example.lv>",
            news_related=True,
            resident_id="R-1",
            dedupe_key="k1",
        )
    first, second = compose(services, config, row), compose(services, config, row)
    assert first["Message-ID"] == second["Message-ID"]
    assert first["Subject"] == "Re: Jaunumi Bcc: x@y.lv" and "Bcc" not in first
    assert first["References"] == "<root@example.lv> <q@example.lv>"
    assert first["Auto-Submitted"] == "auto-replied" and first["Content-Language"] == "lv"
    unsubscribe = first["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://helpdesk.klientiem.test/unsubscribe/")
    text = body(first)
    assert text.startswith("Labdien!") and "Klientiem.lv atbalsta komanda" in text and "atrakstīties" in text


async def test_a_changed_invoice_file_is_never_sent(services: Services, config: MailConfig) -> None:
    async with services.sessions() as session, session.begin():
        row = await enqueue_email_reply(
            session,
            to="janis@example.lv",
            subject="Rēķins",
            body_text="x",
            language="lv",
            attachments=[_invoice(services)],
            resident_id="R-1",
        )
    (services.storage.invoice_dir / "INV-2025-12-R-1.pdf").write_bytes(b"%PDF-1.4 something else")
    with pytest.raises(AttachmentProblem):
        compose(services, config, row)
