"""The extended deadline of an access or correction request (GDPR Art. 12(3))."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from helpdesk.casework.extension import extended_deadline
from helpdesk.storage.models.requests import SupportRequest

RIGA = ZoneInfo("Europe/Riga")


def _item(received: datetime, deadline: datetime) -> SupportRequest:
    return SupportRequest(received_at=received, deadline_at=deadline)


def test_extension_is_capped_at_three_months_from_receipt() -> None:
    """Months are counted on the Riga wall clock (core.deadlines): 11:00 stays 11:00 across DST."""
    received = datetime(2026, 1, 31, 11, tzinfo=RIGA)
    item = _item(received, datetime(2026, 2, 28, 11, tzinfo=RIGA))
    assert extended_deadline(item, 1) == datetime(2026, 3, 28, 11, tzinfo=RIGA)
    assert extended_deadline(item, 2) == datetime(2026, 4, 28, 11, tzinfo=RIGA)
    late = _item(received, datetime(2026, 4, 15, 11, tzinfo=RIGA))  # already moved by hand
    assert extended_deadline(late, 2) == datetime(2026, 4, 30, 11, tzinfo=RIGA)  # 31 April is 30
