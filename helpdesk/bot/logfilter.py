"""Keep link tokens and the bot token out of the logs, whatever library writes the record.

The bot itself never logs message text; this filter is the safety net for third-party records
(aiogram and aiohttp can include URLs or request bodies in errors): ``/start <token>`` payloads,
``start=<token>`` deep links and ``bot<id>:<secret>`` API paths are masked.
"""

from __future__ import annotations

import logging
import re

_PATTERNS = (
    (re.compile(r"(/start(?:@\w+)?\s+)[A-Za-z0-9_-]+"), r"\1[token]"),
    (re.compile(r"(start=)[A-Za-z0-9_-]+"), r"\1[token]"),
    (re.compile(r"\d{3,}:[A-Za-z0-9_-]{20,}"), "[bot-token]"),
)


def mask(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class SecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True


LOGGERS = (
    "aiogram",
    "aiogram.event",
    "aiogram.dispatcher",
    "aiogram.middlewares",
    "aiogram.webhook",
    "aiohttp.access",
    "aiohttp.server",
    "aiohttp.client",
    "aiohttp.web",
)


def install(logger_names: tuple[str, ...] = LOGGERS) -> SecretsFilter:
    """Attach the filter to the loggers (idempotent) and to the root handlers."""
    secrets_filter = SecretsFilter()
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, SecretsFilter) for f in logger.filters):
            logger.addFilter(secrets_filter)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, SecretsFilter) for f in handler.filters):
            handler.addFilter(secrets_filter)
    return secrets_filter
