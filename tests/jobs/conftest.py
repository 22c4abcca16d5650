"""The jobs tests share the ops fixtures (Services on both backends with a fixed clock) and the
mailbox tests' SMTP sink (a real aiosmtpd server)."""

from tests.mailbox.conftest import smtp_sink
from tests.ops.conftest import fresh_counters, now, settings

__all__ = ["fresh_counters", "now", "settings", "smtp_sink"]
