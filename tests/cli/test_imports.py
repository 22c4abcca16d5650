"""``residents import`` and ``invoices import``: validation with line numbers, upserts, idempotence."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.cli import main
from helpdesk.core.secrets import personal_code_hmac
from helpdesk.storage.engine import create_engine, create_session_factory
from helpdesk.storage.repositories import invoices, residents
from tests.cli.conftest import CLI_SECRET

GOOD = [
    {
        "id": "R-1",
        "name": "Jānis Bērziņš",
        "address": "Brīvības iela 1-5, Rīga",
        "invoice_email": "janis@example.lv",
        "news_email": None,
        "language": "lv",
        "personal_code": "010180-12345",
    },
    {"id": "R-2", "name": "Ivans Petrovs", "invoice_email": "ivans@example.lv", "language": "ru"},
]


def _write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _residents_file(directory: Path) -> Path:
    return _write_jsonl(
        directory / "residents.jsonl",
        [
            json.dumps(GOOD[0], ensure_ascii=False),
            json.dumps(GOOD[1], ensure_ascii=False),
            "{not json",
            json.dumps({"id": "R-3", "name": "X", "invoice_email": "not-an-address"}),
            json.dumps({"id": "R-4", "name": "Y", "language": "de"}),
            "",
            json.dumps({"id": "R 5!", "name": "Z"}),
        ],
    )


T = TypeVar("T")


def _query(database_url: str, coro_factory: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = create_engine(database_url)
        try:
            async with create_session_factory(engine)() as session:
                return await coro_factory(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_residents_import_reports_bad_lines_and_upserts(
    cli_env: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _residents_file(cli_env)
    assert main(["residents", "import", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "2 created, 0 updated, 4 bad lines" in out
    for number in (3, 4, 5, 7):
        assert f"line {number}:" in err
    assert "invoice_email" in err and "language" in err
    assert "010180-12345" not in out + err

    resident = _query(database_url, lambda s: residents.get(s, "R-1"))
    assert resident is not None and resident.name == "Jānis Bērziņš"
    assert resident.personal_code_hmac == personal_code_hmac(CLI_SECRET.encode(), "010180-12345")

    assert main(["residents", "import", str(path), "--json"]) == 1
    out, _err = capsys.readouterr()
    assert json.loads(out) == {"created": 0, "updated": 2, "bad_lines": 4}


def test_missing_file_is_one_clear_line(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["residents", "import", "nope.jsonl"]) == 2
    _out, err = capsys.readouterr()
    assert err.startswith("helpdesk: cannot read nope.jsonl") and len(err.strip().splitlines()) == 1


def test_invoices_import_copies_pdfs_and_is_idempotent(
    cli_env: Path, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["residents", "import", str(_write_jsonl(cli_env / "r.jsonl", [json.dumps(GOOD[0])]))]) == 0
    source = cli_env / "export"
    (source / "pdf").mkdir(parents=True)
    (source / "pdf" / "a.pdf").write_bytes(b"%PDF-1.4\nhello\n%%EOF\n")
    (source / "fake.pdf").write_bytes(b"MZ\x90\x00 not a pdf")
    line = {
        "id": "INV-1",
        "resident_id": "R-1",
        "period": "2026-10",
        "amount": "54.20",
        "due_date": "2026-11-20",
        "file": "pdf/a.pdf",
    }
    manifest = _write_jsonl(
        source / "manifest.jsonl",
        [
            json.dumps(line),
            json.dumps({**line, "id": "INV-2", "file": "fake.pdf"}),
            json.dumps({**line, "id": "INV-3", "file": "missing.pdf"}),
            json.dumps({**line, "id": "INV-4", "resident_id": "R-404"}),
            json.dumps({**line, "id": "INV-5", "period": "2026-13"}),
            json.dumps({**line, "id": "INV-6", "file": "/etc/passwd"}),
        ],
    )
    assert main(["invoices", "import", str(manifest)]) == 1
    out, err = capsys.readouterr()
    assert "1 created, 0 updated, 5 bad lines" in out
    assert "line 2: the file is not a PDF" in err
    assert "line 3: file: cannot read missing.pdf" in err
    assert "line 4: resident R-404 does not exist" in err
    assert "line 5: period" in err
    assert "line 6: file: must be relative" in err

    invoice = _query(database_url, lambda s: invoices.get_for_resident(s, "R-1", "INV-1"))
    assert invoice is not None
    stored = cli_env / "invoices" / invoice.file_path
    assert stored.read_bytes() == (source / "pdf" / "a.pdf").read_bytes()
    assert stored.stat().st_mode & 0o777 == 0o600  # it names a resident and what they owe
    first_mtime = stored.stat().st_mtime_ns

    assert main(["invoices", "import", str(manifest), "--json"]) == 1
    out, _err = capsys.readouterr()
    assert json.loads(out) == {"created": 0, "updated": 1, "bad_lines": 5}
    assert stored.stat().st_mtime_ns == first_mtime  # unchanged bytes are not rewritten
