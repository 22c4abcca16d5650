"""Casework: what agents, the portal and the operator's CLI do to the helpdesk's records.

Claiming, waiting, verifying, extending, replying to, exporting, correcting and closing a queue
item, and storing what the portal sends (residents, invoice PDFs, link tokens). The console's views,
the portal API and the ``helpdesk`` command all call this package, so a rule is written once.

May import: core, settings, services, i18n, storage, handlers (for the conversation's shared
rules). Never: a channel (bot, mailbox, console), jobs, app, the CLI.
"""
