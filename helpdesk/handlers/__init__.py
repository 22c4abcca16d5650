"""Channel-neutral intent handlers: ``Inquiry`` in, ``Reply`` out. No aiogram, no mail code here.

:func:`helpdesk.handlers.dispatch.handle` is the one entry point; each module handles one intent.

May import: knowledge, ops, services, storage, settings, i18n, core. Never: casework, a channel
(bot, mailbox, console), jobs, app, the CLI; nor aiogram or e-mail libraries.
"""
