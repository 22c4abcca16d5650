"""Channel-neutral intent handlers: ``Inquiry`` in, ``Reply`` out. No aiogram, no mail code here.

:func:`helpdesk.handlers.dispatch.handle` is the one entry point; each module handles one intent.
The conversation lives here for every channel: what a command stands for (:mod:`.commands`), what
a pressed button or the next typed line means (the conversation state, routed by the dispatcher),
the one menu and help (:mod:`.menu`) and the polite refusals (:mod:`.refusals`).

May import: knowledge, ops, services, storage, settings, i18n, core. Never: casework, a channel
(bot, mailbox, console), jobs, app, the CLI; nor aiogram or e-mail libraries.
"""
