"""``helpdesk demo``: what it says it did (seeded, or found and kept an existing demo; a console it
did not start is not printed as running), and the consent history it seeds, each row with the
consent wording that was shown on that row's date."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpdesk.app import build_services
from helpdesk.cli import main
from helpdesk.commands.demo import _what_was_done
from helpdesk.demo.seed import seed
from helpdesk.handlers.consent_text import wording
from helpdesk.settings import load_settings
from helpdesk.storage.repositories import consent, residents
from tests.cli.conftest import CLI_SECRET
from tests.handlers.conftest import fake_matcher

UPLOAD_LIMIT = 20_000_000  # HELPDESK_API_MAX_UPLOAD_BYTES


def _demo(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["demo", "--no-serve"]) == 0
    return capsys.readouterr().out.splitlines()


def _line(lines: list[str], start: str) -> str:
    [line] = [line for line in lines if line.startswith(start)]
    return line


def test_no_serve_on_a_new_then_an_existing_demo(
    cli_env: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    invoices = cli_env / "invoices"
    first = _demo(capsys)
    assert first[1] == f"seeded 5 residents, 15 invoice PDFs in {invoices}"
    assert _line(first, "console:") == (
        "console:       not started (--no-serve); `helpdesk demo` serves it at http://127.0.0.1:8080/"
    )

    asyncio.run(_rename("R-1004", "Olga Kalniņa"))  # as an agent's correction in the console would
    again = _demo(capsys)
    assert (
        again[1] == f"found the existing demo in var/demo/ and kept it as it was (invoice PDFs in {invoices})"
    )
    assert not any(line.startswith("seeded") for line in again)
    assert _line(again, "console:") == _line(first, "console:")
    assert _line(again, "agent login:") == _line(first, "agent login:")
    assert any(line.startswith("try it:") and "chat --resident R-1001" in line for line in again)
    assert asyncio.run(_rename("R-1004", None)) == "Olga Kalniņa"  # kept


async def _rename(resident_id: str, name: str | None) -> str:
    """Renames the resident (unless ``name`` is None); returns the name stored."""
    services = build_services(load_settings(), matcher=fake_matcher())
    try:
        async with services.sessions.begin() as session:
            resident = await residents.get(session, resident_id)
            assert resident is not None
            if name is not None:
                resident.name = name
            return resident.name
    finally:
        await services.aclose()


# The demo's consent history is dated back from the day it runs: 90, 60, 30 and 20 days.
# news-2026-12 replaced news-2026-11 on 2026-12-01 at 23:06 UTC.
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (  # the day the issue was filed: all four rows predate news-2026-12
            datetime(2026, 12, 7, 12, 0, tzinfo=UTC),
            {
                ("R-1001", "2026-10-08"): "news-2026-11-lv",
                ("R-1002", "2026-09-08"): "news-2026-11-lv",
                ("R-1002", "2026-11-17"): "news-2026-11-lv",
                ("R-1003", "2026-11-07"): "news-2026-11-ru",
            },
        ),
        (  # later: 90 days back is 1 December at noon, before the change that evening
            datetime(2027, 3, 1, 12, 0, tzinfo=UTC),
            {
                ("R-1001", "2026-12-31"): "news-2026-12-lv",
                ("R-1002", "2026-12-01"): "news-2026-11-lv",
                ("R-1002", "2027-02-09"): "news-2026-12-lv",
                ("R-1003", "2027-01-30"): "news-2026-12-ru",
            },
        ),
    ],
)
async def test_seeded_consent_names_the_wording_of_its_date(
    database_url: str, tmp_path: Path, today: datetime, expected: dict[tuple[str, str], str]
) -> None:
    settings = load_settings(
        database_url=database_url, invoice_dir=tmp_path / "invoices", secret_key=CLI_SECRET
    )
    services = build_services(settings, matcher=fake_matcher())
    services.clock = lambda: today
    try:
        await seed(services, tmp_path / "var", "demo-password-123", max_upload_bytes=UPLOAD_LIMIT)
        async with services.sessions() as session:
            rows = [
                row for rid in ("R-1001", "R-1002", "R-1003") for row in await consent.history(session, rid)
            ]
    finally:
        await services.aclose()
    assert {(row.resident_id, f"{row.created_at:%Y-%m-%d}"): row.text_version for row in rows} == expected
    assert all(wording(row.text_version) for row in rows)  # the words shown can always be named


async def test_an_existing_demo_a_month_later_gets_that_month_s_invoices(
    database_url: str, tmp_path: Path
) -> None:
    settings = load_settings(
        database_url=database_url, invoice_dir=tmp_path / "invoices", secret_key=CLI_SECRET
    )
    services = build_services(settings, matcher=fake_matcher())
    try:
        services.clock = lambda: datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
        first = await seed(services, tmp_path / "var", "demo-password-123", max_upload_bytes=UPLOAD_LIMIT)
        services.clock = lambda: datetime(2027, 1, 7, 12, 0, tzinfo=UTC)
        later = await seed(services, tmp_path / "var", "demo-password-123", max_upload_bytes=UPLOAD_LIMIT)
    finally:
        await services.aclose()
    assert (first.existed, first.new_invoices) == (False, 15)
    assert (later.existed, later.new_invoices) == (True, 5)  # December's
    assert _what_was_done(later, Path("var/demo"), Path("var/demo/invoices")) == (
        "found the existing demo in var/demo/ and kept it; added 5 invoice PDFs for the latest month "
        "to var/demo/invoices"
    )
