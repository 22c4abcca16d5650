"""Casework: what agents, the portal and the operator's CLI do to the helpdesk's records.

Claiming, waiting, verifying, extending, replying to, exporting, correcting and closing a queue
item (:mod:`.actions` names them all and runs one in a unit of work), the queue as data
(:mod:`.queue`), and storing what the portal sends (residents, invoice PDFs, link tokens). The
console's views, the portal API and the ``helpdesk`` command call this package, so a rule is
written once. What it sends to a resident goes through core's outbox port, in the resident's
catalog (``helpdesk``).

May import: handlers, knowledge, ops, services, storage, settings, i18n, core. Never: a channel
(bot, mailbox, console), jobs, demo, app, the CLI; nor aiogram or e-mail libraries.
"""
