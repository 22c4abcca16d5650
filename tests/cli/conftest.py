"""CLI fixtures: run ``helpdesk`` in-process against a real database in a clean working directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.handlers.conftest import fake_matcher

CLI_SECRET = "cli-test-key-Bn8vQ3xK6pWz2RmT9cLd4YhJ"


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with no .env, settings pointing at the test database, a fake matcher."""
    for name in list(os.environ):
        if name.startswith("HELPDESK_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HELPDESK_DATABASE_URL", database_url)
    monkeypatch.setenv("HELPDESK_INVOICE_DIR", str(tmp_path / "invoices"))
    monkeypatch.setenv("HELPDESK_SECRET_KEY", CLI_SECRET)
    monkeypatch.setenv("HELPDESK_TELEGRAM_BOT_USERNAME", "TestBot")
    monkeypatch.setattr("helpdesk.app.load_matcher", lambda settings: fake_matcher())
    return tmp_path
