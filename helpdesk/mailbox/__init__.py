"""The e-mail channel: the support mailbox read over IMAP (aioimaplib), answers sent over SMTP.

Data flows one way, like every adapter: IMAP message -> :mod:`parsing` -> :mod:`chain` (one small
named unit per decision: duplicate, loop rules, identity, cap, size, the shared handlers through
``dispatch.handle``, documents, the answer; quarantine for what a person must read) -> :mod:`render`
-> :mod:`outgoing` (the outbox, plugged into core's outbox port by :mod:`helpdesk.app`)
-> :mod:`smtp_sender`. :mod:`poller` owns the IMAP side and :mod:`processing` the batches'
transactions and the exactly-once record.

May import: handlers and everything below them (docs/architecture.md). Never: bot, console, jobs,
casework, app, the CLI.
"""
