"""``link``, ``agents add``, ``requests list``, ``db upgrade``, ``chat`` and settings errors."""

from __future__ import annotations

import asyncio
import io
import json
import os
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from helpdesk.app import build_services
from helpdesk.cli import main
from helpdesk.core.deadlines import LOCAL_ZONE
from helpdesk.core.types import Action, Channel, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.settings import load_settings
from tests.handlers.conftest import fake_matcher


def _seed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--no-serve"]) == 0
    capsys.readouterr()


def test_link_json_mints_a_working_token(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed(capsys)
    assert main(["link", "R-1001", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert set(info) == {"token", "url", "expires_at"}
    assert info["url"] == f"https://t.me/TestBot?start={info['token']}"
    assert len(info["token"]) >= 43

    async def redeem() -> ReplyKind:
        services = build_services(load_settings(), matcher=fake_matcher())
        try:
            inquiry = Inquiry(
                channel=Channel.TELEGRAM,
                sender="42",
                action=Action.LINK_REDEEM,
                args={"token": info["token"], "chat_type": "private"},
            )
            reply = await handle(inquiry, services)
            assert "Jānis B., Brīvības iela 1-…" in reply.text
            return reply.kind
        finally:
            await services.aclose()

    assert asyncio.run(redeem()) is ReplyKind.QUESTION


def test_link_for_unknown_resident(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", "R-404"]) == 2
    assert "resident R-404 does not exist" in capsys.readouterr().err


def test_agents_add_reads_password_from_stdin(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("a sufficiently long password\n"))
    assert main(["agents", "add", "anna", "--role", "admin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["agents", "add", "bob"]) == 2
    assert "at least" in capsys.readouterr().err
    assert main(["agents", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["username"], a["role"]) for a in listed] == [("anna", "admin")]


def test_chat_gets_invoice_consent_faq_and_files_a_request(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(capsys)
    script = "\n".join(
        [
            "rēķins",  # → the latest invoice PDF
            "2",  # its second button: menu
            "2",  # menu: news e-mails (status)
            "1",  # stop news e-mails (R-1001 had consented in the demo history)
            "kā pieslēgties",  # a portal question
            "gribu savus datus",  # an access request
            "/quit",
        ]
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO(script + "\n"))
    assert main(["chat", "--resident", "R-1001"]) == 0
    out = capsys.readouterr().out
    pdf_lines = [line for line in out.splitlines() if "[PDF]" in line]
    assert pdf_lines and Path(pdf_lines[0].split("[PDF] ", 1)[1]).is_file()
    assert "Jūs saņemat mūsu jaunumus" in out
    assert "vairs nesaņemsiet" in out
    assert "Pieslēgšanās ar eID" in out
    assert "reģistrēts ar numuru #" in out

    assert main(["requests", "list", "--json"]) == 0
    queue = json.loads(capsys.readouterr().out)
    access = [item for item in queue if item["kind"] == "access" and item["resident_id"] == "R-1001"]
    assert len(access) == 1 and access[0]["identity"] == "verified"


def test_chat_for_unknown_resident(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["chat", "--resident", "R-404"]) == 2
    assert "resident R-404 does not exist" in capsys.readouterr().err


def test_demo_twice_is_idempotent(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _seed(capsys)
    assert main(["requests", "list", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main(["demo", "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "agent login:   demo / " in out and "helpdesk chat --resident R-1001" in out
    assert main(["requests", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == first
    assert {item["kind"] for item in first} == {"access", "question", "correction"}
    [parked] = [item for item in first if item["status"] == "waiting"]
    assert parked["kind"] == "correction" and parked["waiting_since"] is not None
    assert len(list((cli_env / "invoices").rglob("*.pdf"))) == 15


def test_settings_error_is_one_line_and_exit_2(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}
    env["HELPDESK_CONSOLE_PORT"] = "not-a-port"
    result = subprocess.run(
        [sys.executable, "-m", "helpdesk", "requests", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "HELPDESK_CONSOLE_PORT" in lines[0]


def test_db_upgrade(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_commands_after_demo_use_the_demo_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`helpdesk demo` then `helpdesk requests list` in the same directory, nothing configured."""
    for name in list(os.environ):
        if name.startswith("HELPDESK_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("helpdesk.app.load_matcher", lambda settings: fake_matcher())
    assert main(["demo", "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "var/demo/helpdesk.db" in out
    assert (tmp_path / "var" / "demo" / "secret-key").stat().st_mode & 0o077 == 0
    assert main(["requests", "list", "--json"]) == 0
    captured = capsys.readouterr()
    assert "using the demo database" in captured.err
    assert len(json.loads(captured.out)) == 3


def test_chat_opens_with_the_menu_and_knows_the_bot_commands(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(capsys)
    assert main(["requests", "list", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    script = ["/news", "/invoices", "/nonsense", "9", "/help", "/quit"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(script) + "\n"))
    assert main(["chat", "--resident", "R-1003", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    first_reply = out.split("bot> ", 2)[1]
    assert first_reply.startswith("How can I help you?") and "[1] 🧾 Latest invoice" in first_reply
    assert "You receive our news at" in out  # /news: R-1003 consented in the demo history
    assert "Which invoice would you like?" in out and "[3] " in out.split("Which invoice")[1]  # /invoices
    assert "I do not know this command" in out  # /nonsense
    assert "This button is no longer valid" in out  # 9: no such button
    assert out.count("(chat) commands: ") >= 3
    assert main(["requests", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == before  # typos never reach the queue


def test_requests_list_shows_deadlines_in_riga_time(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _seed(capsys)
    assert main(["requests", "list", "--json"]) == 0
    queue = json.loads(capsys.readouterr().out)
    assert main(["requests", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(queue) == 3
    for item in queue:
        riga = datetime.fromisoformat(item["deadline_at"]).astimezone(LOCAL_ZONE)
        shown = f"#{item['id']:<5} {item['kind']:<10}"
        (line,) = [line for line in lines if line.startswith(shown)]
        assert f"due {riga:%Y-%m-%d %H:%M} {riga.tzname()}" in line


def test_demo_with_the_console_port_taken_is_one_line(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        monkeypatch.setenv("HELPDESK_CONSOLE_PORT", str(taken.getsockname()[1]))
        assert main(["demo"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("helpdesk: HELPDESK_CONSOLE_PORT: 127.0.0.1:")
    assert "already in use" in err[0]
