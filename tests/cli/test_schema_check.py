"""The long-running commands (``bot``, ``mailbox``, ``console``, ``jobs``, ``run``) stop with one line
naming HELPDESK_DATABASE_URL, exit status 2, when their database is missing, unreachable, without
tables or behind the code's migrations, before they start serving; and they create no SQLite file.
The short commands that open the database do the same; ``db upgrade`` creates it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from helpdesk.cli import main
from helpdesk.storage.migrate import MIGRATIONS_DIR, check_schema, upgrade
from tests.cli.conftest import CLI_SECRET
from tests.conftest import PG_ADMIN_URL

# What each command needs configured to get as far as its database.
COMMANDS: dict[str, dict[str, str]] = {
    "bot": {"TELEGRAM_TOKEN": "4242:TEST-token-for-the-fake-bot-api-000000"},
    "mailbox": {"IMAP_HOST": "127.0.0.1", "IMAP_USER": "u", "IMAP_PASSWORD": "p", "SMTP_HOST": "127.0.0.1"},
    "console": {"SECRET_KEY": CLI_SECRET},
    "jobs": {},
    "run": {},
}


@pytest.fixture(scope="module")
def old_schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database one migration behind the code."""
    path = tmp_path_factory.mktemp("old-schema") / "old.db"
    upgrade(f"sqlite+aiosqlite:///{path}", "0007")
    return path


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty directory with nothing of ours configured."""
    for name in list(os.environ):
        if name.startswith("HELPDESK_"):
            monkeypatch.delenv(name)
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    return workdir


def _one_line(command: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    for name, value in COMMANDS[command].items():
        monkeypatch.setenv(f"HELPDESK_{name}", value)
    assert main([command]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in captured.err, captured.err
    assert lines[0].startswith("helpdesk: HELPDESK_DATABASE_URL: "), lines
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_sqlite_file_that_does_not_exist_is_not_created(
    command: str, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    line = _one_line(command, monkeypatch, capsys)  # the default, ./helpdesk.db
    assert "the SQLite file helpdesk.db does not exist" in line and "helpdesk db upgrade" in line
    monkeypatch.setenv("HELPDESK_DATABASE_URL", "sqlite:///data/helpdesk.db")
    assert "the SQLite file data/helpdesk.db does not exist" in _one_line(command, monkeypatch, capsys)
    assert list(workdir.iterdir()) == []  # neither the file nor its directory


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_without_tables(
    command: str, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sqlite3.connect(workdir / "empty.db").close()
    for url in ("sqlite:///empty.db", PG_ADMIN_URL):
        monkeypatch.setenv("HELPDESK_DATABASE_URL", url)
        line = _one_line(command, monkeypatch, capsys)
        assert line.endswith("the database has no helpdesk tables: run `helpdesk db upgrade`"), line


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_behind_the_migrations(
    command: str,
    old_schema: Path,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HELPDESK_DATABASE_URL", f"sqlite:///{old_schema}")
    line = _one_line(command, monkeypatch, capsys)
    head = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()  # the newest revision, whichever it is
    assert f"the database schema is at revision 0007, this release needs {head}" in line
    assert line.endswith("run `helpdesk db upgrade`")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_that_cannot_be_reached(
    command: str, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HELPDESK_DATABASE_URL", "postgresql://postgres:secret-pw@127.0.0.1:1/helpdesk")
    line = _one_line(command, monkeypatch, capsys)
    assert "cannot connect to the database" in line and "secret-pw" not in line


# Short commands that read or write the database, with what each needs to get as far as it.
SHORT_COMMANDS = (
    ["agents", "list"],
    ["agents", "passwd", "anna"],
    ["apikeys", "list"],
    ["requests", "list"],
    ["link", "R-1"],
    ["kb", "misses"],
    ["purge", "--dry-run"],
    ["residents", "import", "residents.jsonl"],
    ["invoices", "import", "manifest.jsonl"],
    ["chat"],
)


@pytest.mark.parametrize("argv", SHORT_COMMANDS, ids=" ".join)
def test_short_commands_stop_where_there_is_no_database(
    argv: list[str], workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == (
        "helpdesk: HELPDESK_DATABASE_URL: the SQLite file helpdesk.db does not exist: run `helpdesk db "
        "upgrade` to create it (or `helpdesk demo` for a demo)\n"
    )
    assert captured.out == ""
    assert list(workdir.iterdir()) == []


def test_db_upgrade_creates_the_database_the_short_commands_then_use(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert (workdir / "helpdesk.db").is_file()
    capsys.readouterr()
    assert main(["requests", "list", "--json"]) == 0
    assert capsys.readouterr().out == "[]\n"


def test_the_bot_in_a_fresh_directory(tmp_path: Path) -> None:
    """The first run that went wrong: ``helpdesk bot`` with a token and nothing else, in a new
    shell. It created ./helpdesk.db and ran, logging an error every 5 s."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HELPDESK_")}
    env["HELPDESK_TELEGRAM_TOKEN"] = COMMANDS["bot"]["TELEGRAM_TOKEN"]
    result = subprocess.run(
        [str(Path(sys.executable).with_name("helpdesk")), "bot"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "helpdesk: HELPDESK_DATABASE_URL: the SQLite file helpdesk.db does not exist: run `helpdesk db "
        "upgrade` to create it (or `helpdesk demo` for a demo)\n"
    )
    assert list(tmp_path.iterdir()) == []


async def test_a_migrated_database_passes(database_url: str) -> None:
    await check_schema(database_url)


async def test_a_newer_release_s_revision_passes(sqlite_template: Path, tmp_path: Path) -> None:
    """Migrations only add: while a newer release migrates, this one keeps starting (a restart of
    an old container during a rolling upgrade)."""
    path = tmp_path / "newer.db"
    shutil.copyfile(sqlite_template, path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0042'")
    await check_schema(f"sqlite+aiosqlite:///{path}")
