"""Migration 0013 on a database that has codes and code mails from before keyed code hashes (issue 15
point 8): open codes with an unkeyed hash are refused (expired), code mails already sent keep no
readable code, code mails not sent yet are dropped (their codes no longer work), other mail is
left alone."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpdesk.core.secrets import sha256_hex
from helpdesk.storage.engine import create_engine, create_session_factory
from helpdesk.storage.migrate import upgrade
from helpdesk.storage.repositories import consent
from tests.migrations import database_before

_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


def _at(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).strftime(_SQLITE_TIME)


def _mail(db: sqlite3.Connection, key: str, status: str, text: str, html: str | None) -> None:
    db.execute(
        "INSERT INTO outbox (channel, recipient, subject, body_text, body_html, attachments, headers, "
        "payload, status, attempts, next_attempt_at, dedupe_key, created_at) VALUES ('email', "
        "'janis@example.lv', 'Kods', ?, ?, '[]', '{}', '{}', ?, 0, ?, ?, ?)",
        (text, html, status, _at(datetime.now(UTC)), key, _at(datetime.now(UTC))),
    )


async def test_unkeyed_codes_are_refused_and_code_mails_keep_no_code(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = database_before(path, "0013")
    now = datetime.now(UTC)
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO residents (id, name, address, language, created_at, updated_at) "
            "VALUES ('R-1', 'Jānis', '', 'lv', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        )
        db.execute(
            "INSERT INTO confirmation_codes (resident_id, purpose, email, code_hash, channel, "
            "text_version, created_at, expires_at, attempts) VALUES ('R-1', 'news', "
            "'janis.news@example.lv', ?, 'telegram', 'news-lv', ?, ?, 0)",
            (sha256_hex("R-1:123456"), _at(now), _at(now + timedelta(minutes=50))),
        )
        _mail(
            db, "consent-code:1", "sent", "Jūsu kods: 123456\nDerīgs 60 minūtes.", "<p>Jūsu kods: 123456</p>"
        )
        _mail(db, "consent-code:2", "pending", "Jūsu kods: 654321", None)
        _mail(db, "request-7-answer", "sent", "Rēķins 202612 ir apmaksāts.", None)
    upgrade(url, "0013")

    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            assert not await consent.has_open_code(session, resident_id="R-1", now=datetime.now(UTC))
            refused = await consent.redeem_code(
                session, resident_id="R-1", code_hash=sha256_hex("R-1:123456"), now=datetime.now(UTC)
            )
            assert refused is None
    finally:
        await engine.dispose()
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT dedupe_key, body_text, body_html FROM outbox ORDER BY id").fetchall()
    assert rows == [
        ("consent-code:1", "Jūsu kods: [code]\nDerīgs 60 minūtes.", "<p>Jūsu kods: [code]</p>"),
        ("request-7-answer", "Rēķins 202612 ir apmaksāts.", None),
    ]
