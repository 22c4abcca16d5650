"""The agents' web console and the portal API, one aiohttp application (see :mod:`.app`).

HTTP only: parsing forms and JSON, CSRF, sessions, rendering pages, redirects. What an action does
to an item is :mod:`helpdesk.casework`'s, which the views and the API call.

May import: casework, handlers and everything below them (docs/architecture.md). Never: bot,
mailbox, jobs, demo, app, the CLI.
"""
