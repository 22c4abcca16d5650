"""The Telegram channel (aiogram 3): turns updates into :class:`~helpdesk.core.types.Inquiry`,
calls the shared handlers and renders their :class:`~helpdesk.core.types.Reply`.

No business logic lives here. aiogram takes seconds to import, so nothing in this package's
``__init__`` imports it; :mod:`helpdesk.bot.outgoing` and :mod:`helpdesk.bot.delivery` stay
importable without it too.
"""
