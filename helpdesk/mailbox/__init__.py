"""The e-mail channel: the support mailbox read over IMAP (aioimaplib), answers sent over SMTP.

Data flows one way, like every adapter: IMAP message -> :mod:`parsing` -> :mod:`loop_rules`
-> :mod:`identity` -> ``Inquiry`` -> ``dispatch.handle`` -> ``Reply`` -> :mod:`render`
-> :mod:`outgoing` (the outbox) -> :mod:`smtp_sender`. :mod:`poller` owns the IMAP side and the
exactly-once bookkeeping.
"""
