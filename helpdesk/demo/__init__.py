"""Demo data for ``helpdesk demo``: residents, real invoice PDFs, consent history, queue items.

May import: casework, handlers and everything below them. Never: a channel (bot, mailbox,
console), jobs, app, the CLI.
"""
