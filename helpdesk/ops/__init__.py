"""Operations: structured, redacted logging; in-process counters; /healthz and /metrics; the
process lifecycle.

May import: services, storage, settings, i18n, core. Never: knowledge, handlers, casework, a
channel, jobs, app, the CLI.
"""
