"""configure_logging: JSON lines or text, and personal data masked in both."""

from __future__ import annotations

import io
import json
import logging

from helpdesk.ops.logging import configure_logging
from helpdesk.settings import load_settings


def test_json_lines_are_redacted(restore_root: None) -> None:
    stream = io.StringIO()
    configure_logging(load_settings(log_format="json", log_level="debug").operations, stream=stream)
    log = logging.getLogger("helpdesk.test")
    log.info(
        "resident %s wrote from %s",
        "010180-12345",
        "janis.berzins@example.lv",
        extra={"iban": "LV80BANK0000435195001"},
    )
    try:
        raise ValueError("bad code 320000-12345")
    except ValueError:
        log.exception("failed for anna@example.lv")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["level"] == "INFO" and first["logger"] == "helpdesk.test"
    assert first["message"] == "resident [personal-code] wrote from [email]"
    assert first["iban"] == "[iban]"
    assert first["time"].endswith("+00:00")
    assert second["message"] == "failed for [email]"
    assert "ValueError: bad code [personal-code]" in second["exception"]
    text = stream.getvalue()
    for leak in ("010180-12345", "janis.berzins", "LV80BANK", "320000-12345", "anna@"):
        assert leak not in text


def test_text_format_level_and_no_double_handlers(restore_root: None) -> None:
    stream = io.StringIO()
    configure_logging(load_settings(log_level="WARNING").operations, stream=stream)
    configure_logging(
        load_settings(log_level="WARNING").operations, stream=stream
    )  # again: still one handler
    log = logging.getLogger("helpdesk.test")
    log.info("not shown")
    log.warning("token %s", "4f9Kq_2xVb8-LmZ0pR7tYw3N")  # shaped like secrets.token_urlsafe()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].endswith("WARNING helpdesk.test: token [token]")
