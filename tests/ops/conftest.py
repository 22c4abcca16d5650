"""Fixtures for the jobs and ops tests: Services on a migrated database (both backends) with a
fixed clock and a matcher that is never asked (jobs and ops routes do not match texts)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpdesk.app import build_services
from helpdesk.core.matching import Answer, Decision, Match
from helpdesk.ops import metrics
from helpdesk.services import Services
from helpdesk.settings import load_settings

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


class IdleMatcher:
    def match(self, text: str, language: str | None = None) -> Match:
        return Match(None, 0.0, Decision.ESCALATE, language or "lv")

    def answer(self, entry: str, language: str) -> Answer | None:
        return None

    def detect_language(self, text: str, default: str) -> str:
        return default


def make_services(database_url: str, tmp_path: Path, **overrides: object) -> Services:
    settings = load_settings(
        database_url=database_url,
        invoice_dir=tmp_path / "invoices",
        secret_key="ops-test-key-Jx4pW8nQ2rTz6LmB9vKd3YhS",
        **overrides,
    )
    built = build_services(settings, matcher=IdleMatcher())
    built.clock = lambda: NOW
    return built


@pytest.fixture
async def services(database_url: str, tmp_path: Path) -> AsyncIterator[Services]:
    built = make_services(database_url, tmp_path)
    yield built
    await built.aclose()


@pytest.fixture(autouse=True)
def fresh_counters() -> None:
    metrics.REGISTRY.clear()


@pytest.fixture
def restore_root() -> Iterator[None]:
    """Put the root logger back after a test that runs configure_logging."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
