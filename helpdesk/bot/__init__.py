"""The Telegram channel (aiogram 3): turns updates into :class:`~helpdesk.core.types.Inquiry`,
calls the shared handlers and renders their :class:`~helpdesk.core.types.Reply`; the Telegram
outbox (:mod:`.outgoing`, plugged into core's outbox port by :mod:`helpdesk.app`) and its sender
(:mod:`.delivery`).

No business logic lives here. aiogram takes seconds to import, so nothing in this package's
``__init__`` imports it; :mod:`helpdesk.bot.outgoing` and :mod:`helpdesk.bot.delivery` stay
importable without it too.

May import: handlers and everything below them (docs/architecture.md). Never: mailbox, console,
jobs, casework, app, the CLI.
"""
