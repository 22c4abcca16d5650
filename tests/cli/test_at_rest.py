"""Nothing secret at rest: after an import with a personal code, a minted and redeemed link token,
and a conversation in which the resident pastes a personal code, an IBAN and a card number, no
table on either database holds any of them in the clear (only the keyed HMAC and SHA-256 hashes)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import select, text

from helpdesk.app import build_services
from helpdesk.cli import main
from helpdesk.core.secrets import personal_code_hmac, sha256_hex
from helpdesk.core.types import Action, Channel, Inquiry
from helpdesk.handlers.dispatch import handle
from helpdesk.settings import load_settings
from helpdesk.storage.engine import create_engine
from helpdesk.storage.migrate import upgrade
from helpdesk.storage.models import Base
from tests.cli.conftest import CLI_SECRET
from tests.handlers.conftest import fake_matcher

CODE, CODE_COMPACT = "010180-12345", "01018012345"
IBAN, CARD = "LV80BANK0000435195001", "4111 1111 1111 1111"


async def _talk(token: str) -> None:
    services = build_services(load_settings(), matcher=fake_matcher())
    try:
        for act in (Action.LINK_REDEEM, Action.LINK_CONFIRM):
            reply = await handle(
                Inquiry(
                    channel=Channel.TELEGRAM,
                    sender="4242",
                    reply_to="4242",
                    action=act,
                    args={"token": token, "chat_type": "private"},
                ),
                services,
            )
        assert reply.resident_id == "R-1"  # linked: the token was redeemed
        text = f"Mans kods {CODE}, konts {IBAN}, karte {CARD}. Kāpēc rēķins ir lielāks?"
        for resident in ("R-1", None):  # identified in Telegram, and an unknown e-mail sender
            await handle(
                Inquiry(
                    channel=Channel.TELEGRAM if resident else Channel.EMAIL,
                    sender="4242" if resident else "stranger@example.lv",
                    resident_id=resident,
                    text=text,
                    message_id=f"m-{resident}",
                ),
                services,
            )
    finally:
        await services.aclose()


async def _all_values() -> list[str]:
    services = build_services(load_settings(), matcher=fake_matcher())
    values: list[str] = []
    try:
        async with services.sessions() as session:
            for table in Base.metadata.sorted_tables:
                for row in (await session.execute(select(table))).all():
                    values.extend(str(value) for value in row if value is not None)
    finally:
        await services.aclose()
    return values


def test_no_personal_code_token_iban_or_card_in_any_table(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {
        "id": "R-1",
        "name": "Jānis Bērziņš",
        "invoice_email": "janis@example.lv",
        "personal_code": CODE,
    }
    (cli_env / "r.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert main(["residents", "import", "r.jsonl"]) == 0
    assert main(["link", "R-1", "--json"]) == 0
    token = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["token"]
    asyncio.run(_talk(token))

    values = asyncio.run(_all_values())
    blob = "\n".join(values)
    assert "Kāpēc rēķins ir lielāks?" in blob  # the conversation was stored (redacted)
    for secret in (CODE, CODE_COMPACT, token, IBAN, CARD, CARD.replace(" ", "")):
        assert secret not in blob
    assert personal_code_hmac(CLI_SECRET.encode(), CODE) in values
    assert sha256_hex(token) in values


def test_a_new_sqlite_database_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    """``helpdesk db upgrade`` on a new file, then a write: the database and its -wal and -shm
    files are 0600 whatever the umask allowed (it was 0644)."""
    path = tmp_path / "var" / "helpdesk.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url)

    async def write_and_look() -> dict[str, int]:
        engine = create_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    text(
                        "INSERT INTO audit_events (actor, action, detail, created_at) "
                        "VALUES ('system', 'test', '{}', CURRENT_TIMESTAMP)"
                    )
                )
                return {p.name: p.stat().st_mode & 0o777 for p in path.parent.iterdir()}
        finally:
            await engine.dispose()

    modes = asyncio.run(write_and_look())
    assert modes == {"helpdesk.db": 0o600, "helpdesk.db-wal": 0o600, "helpdesk.db-shm": 0o600}
