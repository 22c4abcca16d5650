"""The e-mail channel: the support mailbox read over IMAP (aioimaplib), answers sent over SMTP.

Data flows one way, like every adapter: IMAP message -> :mod:`parsing` -> the mail rules
-> ``Inquiry`` -> ``dispatch.handle`` -> ``Reply`` -> :mod:`render` -> :mod:`outgoing` (the outbox,
plugged into core's outbox port by :mod:`helpdesk.app`) -> :mod:`smtp_sender`. :mod:`poller` owns
the IMAP side and the exactly-once bookkeeping.

May import: handlers and everything below them (docs/architecture.md). Never: bot, console, jobs,
casework, app, the CLI.
"""
