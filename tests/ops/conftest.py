"""Fixtures for the jobs and ops tests: the shared ``services`` (both backends) on the ops date,
with the idle matcher (jobs and ops routes do not match texts)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from helpdesk.ops import metrics
from helpdesk.services import Services
from helpdesk.settings import Settings
from tests.conftest import IdleMatcher, settings_for, start_services

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
OPS_SECRET = "ops-test-key-Jx4pW8nQ2rTz6LmB9vKd3YhS"


def make_services(database_url: str, tmp_path: Path, **overrides: object) -> Services:
    """Services for a test that changes settings: the ops secret key, ``overrides``, the ops clock."""
    return start_services(
        settings_for(database_url, tmp_path, secret_key=OPS_SECRET, **overrides), IdleMatcher(), NOW
    )


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return settings_for(database_url, tmp_path, secret_key=OPS_SECRET)


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
