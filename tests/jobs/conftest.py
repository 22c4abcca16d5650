"""The jobs tests share the ops fixtures (Services on both backends with a fixed clock)."""

from tests.ops.conftest import fresh_counters, services

__all__ = ["fresh_counters", "services"]
