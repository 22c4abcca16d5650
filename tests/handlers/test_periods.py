"""Periods named in free text, in Latvian, Russian and English (no database needed)."""

from __future__ import annotations

import pytest

from helpdesk.handlers.periods import period_in_text

KNOWN = ["2026-11", "2026-10", "2026-09", "2025-12"]


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("rēķins par oktobri", "2026-10"),
        ("oktobra rēķins", "2026-10"),
        ("rekins par septembri", "2026-09"),
        ("decembrī", "2025-12"),  # the newest December on record
        ("счёт за октябрь", "2026-10"),
        ("счет за сентября", "2026-09"),
        ("invoice for September", "2026-09"),
        ("the Dec invoice", "2025-12"),
        ("rēķins par martu", "2026-03"),  # no March invoice: still March, never another month
        ("rēķins par maiju 2025", "2025-05"),
        ("счёт за май", "2026-05"),
        ("rēķins 2026-09", "2026-09"),
        ("rēķins 2026.9", "2026-09"),
        ("rēķins 09/2026", "2026-09"),
        ("termiņš 20.12.2026", None),  # a date, not a period
        ("atsūtiet rēķinu", None),
        ("may I have the invoice", None),
        ("", None),
    ],
)
def test_period_in_text(text: str, period: str | None) -> None:
    assert period_in_text(text, KNOWN) == period
