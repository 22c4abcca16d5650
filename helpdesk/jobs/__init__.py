"""Scheduled jobs (retention purge, token expiry, deadline reminders, outbox retry), run under the
cluster-wide "jobs" leadership (:mod:`helpdesk.storage.leadership`).

The jobs send through core's ports (``services.outbox``, ``services.senders``), never through a
channel. May import: casework, handlers and everything below them. Never: bot, mailbox, console,
demo, app, the CLI.
"""
