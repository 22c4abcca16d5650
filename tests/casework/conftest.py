"""Casework runs on the console's seeded database (both backends, fixed clock): the same residents,
agents and queue items, without the web layer in front."""

from tests.console.conftest import seeded, services

__all__ = ["seeded", "services"]
