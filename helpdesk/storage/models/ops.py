"""Operations bookkeeping: event counters summed over every process of the cluster.

The bot, the mailbox and the jobs run as processes of their own while /metrics is served by the
console, so each process adds what it counted here (see :mod:`helpdesk.ops.counters`). Only
names, kinds and numbers: no personal data.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from helpdesk.storage.models.base import Base, UTCDateTime, utcnow


class MetricCounter(Base):
    __tablename__ = "metric_counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    labels: Mapped[str] = mapped_column(String(500), primary_key=True)  # sorted (key, value) pairs, JSON
    value: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
