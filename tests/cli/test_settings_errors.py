"""A wrong or missing setting, or a database that cannot be used, ends a command with one line that
names the setting and exit status 2 — never a traceback. Run as a new user would: a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpdesk.core.errors import ConfigurationError
from helpdesk.settings import load_settings
from tests.conftest import PG_ADMIN_URL


def _helpdesk(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}
    return subprocess.run(
        [sys.executable, "-m", "helpdesk", *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


HOW_TO_GENERATE = 'generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'


def _one_line(result: subprocess.CompletedProcess[str], setting: str) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"helpdesk: {setting}: ")
    return lines[0]


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("DATABASE_URL", "mysql://db/helpdesk", "sqlite+aiosqlite:///FILE or postgresql+asyncpg://"),
        ("RETENTION_DAYS", "ninety", "valid integer"),
        ("RETENTION_DAYS", "0", "greater than or equal to 1"),
        ("IMAP_SECURITY", "tls", "'ssl', 'starttls' or 'none'"),
        ("SMTP_PORT", "70000", "less than or equal to 65535"),
        ("DEFAULT_LANGUAGE", "de", "one of lv, ru, en"),
        ("LOG_LEVEL", "LOUD", "DEBUG, INFO, WARNING or ERROR"),
        ("SECRET_KEY", "   ", "must not be empty"),
        ("SECRET_KEY", "k3y", "is too short (3 bytes; at least 32"),
        ("SECRET_KEY", "x" * 40, "too few different characters"),
        ("SECRET_KEY", "change-me-change-me-change-me-2026", "repeats a piece"),
        ("SECRET_KEY", "ThisIsTheSecretKeyOfTheKlientiemHelpdesk", "is made of words"),
    ],
)
def test_bad_setting(tmp_path: Path, setting: str, value: str, says: str) -> None:
    line = _one_line(
        _helpdesk(tmp_path, "requests", "list", **{f"HELPDESK_{setting}": value}), f"HELPDESK_{setting}"
    )
    assert says in line and "Value error" not in line
    if setting == "SECRET_KEY" and value.strip():
        assert line.endswith(
            'generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
        )
        assert value not in line  # the key itself is never printed


def test_weak_secret_key_stops_every_command(tmp_path: Path) -> None:
    """Not only those that use the key: a weak key must not sit in a deployment unnoticed."""
    for args in (("kb", "check"), ("db", "upgrade"), ("purge", "--dry-run")):
        result = _helpdesk(tmp_path, *args, HELPDESK_SECRET_KEY="k3y")
        assert "is too short" in _one_line(result, "HELPDESK_SECRET_KEY"), args


def test_bad_setting_in_dot_env(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("HELPDESK_LINK_TOKEN_TTL_MINUTES=soon\n", encoding="utf-8")
    _one_line(_helpdesk(tmp_path, "requests", "list"), "HELPDESK_LINK_TOKEN_TTL_MINUTES")


def test_missing_secret_key_where_it_is_required(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'h.db'}"
    assert _helpdesk(tmp_path, "db", "upgrade", HELPDESK_DATABASE_URL=database).returncode == 0
    record = '{"id": "R-1", "name": "A B", "invoice_email": "a@b.lv", "personal_code": "010180-12345"}\n'
    (tmp_path / "r.jsonl").write_text(record, encoding="utf-8")
    for args in (("residents", "import", "r.jsonl"), ("console",), ("apikeys", "add", "portal")):
        result = _helpdesk(tmp_path, *args, HELPDESK_DATABASE_URL=database, HELPDESK_SECRET_KEY="")
        assert "is not set" in _one_line(result, "HELPDESK_SECRET_KEY"), args


def test_empty_variable_means_not_set() -> None:
    os.environ["HELPDESK_WEBHOOK_URL"] = ""
    try:
        assert load_settings().telegram.webhook_url is None
    finally:
        del os.environ["HELPDESK_WEBHOOK_URL"]
    with pytest.raises(ConfigurationError, match="HELPDESK_SECRET_KEY: must not be empty"):
        load_settings(secret_key="")


def test_database_without_tables(tmp_path: Path) -> None:
    for url in (f"sqlite:///{tmp_path / 'empty.db'}", PG_ADMIN_URL):
        line = _one_line(
            _helpdesk(tmp_path, "requests", "list", HELPDESK_DATABASE_URL=url), "HELPDESK_DATABASE_URL"
        )
        assert "helpdesk db upgrade" in line


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("postgresql://helpdesk@no-such-host.invalid/helpdesk", "cannot connect"),
        ("postgresql+asyncpg://postgres@127.0.0.1:1/helpdesk", "cannot connect"),
        (PG_ADMIN_URL.rsplit("/", 1)[0] + "/no_such_database_here", 'database "no_such_database_here"'),
        ("postgresql://no_such_role:secret-pw@127.0.0.1:5432/postgres", 'role "no_such_role"'),
        # Checked before anything opens it, as for the long-running commands (tests/cli/test_schema_check).
        (
            "sqlite:////proc/no-such-dir/helpdesk.db",
            "the SQLite file /proc/no-such-dir/helpdesk.db does not exist",
        ),
    ],
)
def test_database_that_cannot_be_reached(tmp_path: Path, url: str, says: str) -> None:
    line = _one_line(
        _helpdesk(tmp_path, "requests", "list", HELPDESK_DATABASE_URL=url), "HELPDESK_DATABASE_URL"
    )
    assert says in line
    assert "secret-pw" not in line  # the URL (and its password) is never printed
