"""Process-wide logging: plain text for people, JSON lines for log collectors; always redacted.

One handler on the root logger, with :class:`~helpdesk.core.redaction.RedactingFilter` on the
handler (not on a logger), so records from every library, aiogram and asyncpg included, are masked
before they are formatted: no personal code, IBAN, token or e-mail address reaches a log line.
The same handler counts every warning and error as ``helpdesk_failures_total{component,level}`` in
/metrics: each failure path of the bot, the mailbox, the jobs and the console logs one.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from helpdesk.core.redaction import RedactingFilter, redact
from helpdesk.ops import metrics
from helpdesk.settings import OperationsSettings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_STANDARD_FIELDS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime", "taskName"}
)


class RedactedTracebacks(logging.Formatter):
    """Formats tracebacks afresh and redacted: another handler (pytest's, a library's) may have
    cached an unredacted ``exc_text`` on the record before :class:`RedactingFilter` saw it."""

    def formatException(self, ei: Any) -> str:  # the logging API's name
        return redact(super().formatException(ei), emails=True)

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info:
            record.exc_text = None
        return super().format(record)


class JsonLinesFormatter(RedactedTracebacks):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, extras, traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_FIELDS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = redact(record.exc_text, emails=True)
        if record.stack_info:
            entry["stack"] = redact(record.stack_info, emails=True)
        return json.dumps(entry, ensure_ascii=False, default=str)


def component_of(logger_name: str) -> str:
    """``helpdesk.mailbox.poller`` -> ``mailbox``; a library's logger -> the library (``aiogram``)."""
    parts = logger_name.split(".")
    if parts[0] == "helpdesk" and len(parts) > 1:
        return parts[1]
    return parts[0] or "root"


class FailureCounter(logging.Filter):
    """Counts warnings and errors by component; lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            metrics.inc("failures", component=component_of(record.name), level=record.levelname.lower())
        return True


class _OurHandler(logging.StreamHandler[TextIO]):
    """Marks the handler this module installed, so configuring twice replaces it, never doubles it."""


def configure_logging(settings: OperationsSettings, *, stream: TextIO | None = None) -> logging.Handler:
    """Install the root handler (format and level from settings) and return it."""
    root = logging.getLogger()
    for existing in list(root.handlers):
        if isinstance(existing, _OurHandler):
            root.removeHandler(existing)
    handler = _OurHandler(stream if stream is not None else sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.addFilter(FailureCounter())
    if settings.log_format == "json":
        handler.setFormatter(JsonLinesFormatter())
    else:
        handler.setFormatter(RedactedTracebacks(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # APScheduler logs every job it adds and runs at INFO; those lines drown the useful ones (the
    # scheduler logs its own summary, and failed jobs are logged by the job wrapper).
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
    return handler
