"""A sender module for the outbox-retry tests: records that it was asked to deliver."""

from __future__ import annotations

from helpdesk.services import Services

calls: list[Services] = []


async def deliver_due(services: Services) -> int:
    calls.append(services)
    return 3
