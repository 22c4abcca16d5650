"""In-process counters that any component increments, rendered in Prometheus' text format.

``metrics.inc("telegram_updates", kind="message")`` counts one event in this process. The bot, the
mailbox and the jobs usually run in processes of their own, and /metrics is served by the console:
so every process adds what it counted to the database every few seconds
(:mod:`helpdesk.ops.counters`), and /metrics shows the cluster-wide sums, e.g.
``helpdesk_telegram_updates_total{kind="message"} 1``. Label values must never carry personal
data: use kinds and outcomes, never addresses or ids of people.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PREFIX = "helpdesk_"
_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")

LabelSet = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Sample:
    """One line of the exposition: a metric name, its labels and its value."""

    name: str
    labels: LabelSet
    value: float


class Registry:
    """Thread-safe: the webhook listener, the asyncio loop and executor threads may all count."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[tuple[str, LabelSet], float] = {}
        self._pending: dict[tuple[str, LabelSet], float] = {}  # not yet added to the database

    def inc(self, name: str, value: float = 1.0, /, **labels: object) -> None:
        if not _NAME.match(name):
            raise ValueError(f"metric name {name!r} must match {_NAME.pattern}")
        if value < 0:
            raise ValueError("counters only go up")
        key = (name, _labelset(labels))
        with self._lock:
            self._counters[key] = self._counters.get(key, 0.0) + value
            self._pending[key] = self._pending.get(key, 0.0) + value

    def take_pending(self) -> dict[tuple[str, LabelSet], float]:
        """What was counted since the last call (the caller adds it to the database)."""
        with self._lock:
            pending, self._pending = self._pending, {}
        return pending

    def give_back(self, pending: dict[tuple[str, LabelSet], float]) -> None:
        """The database did not take ``pending``: keep it for the next flush."""
        with self._lock:
            for key, value in pending.items():
                self._pending[key] = self._pending.get(key, 0.0) + value

    def value(self, name: str, /, **labels: object) -> float:
        with self._lock:
            return self._counters.get((name, _labelset(labels)), 0.0)

    def counters(self) -> list[Sample]:
        with self._lock:
            items = sorted(self._counters.items())
        return [Sample(f"{PREFIX}{name}_total", labels, value) for (name, labels), value in items]

    def clear(self) -> None:
        with self._lock:
            self._counters.clear()
            self._pending.clear()


def _labelset(labels: Mapping[str, object]) -> LabelSet:
    for key in labels:
        if not _NAME.match(key):
            raise ValueError(f"label name {key!r} must match {_NAME.pattern}")
    return tuple(sorted((key, str(value)) for key, value in labels.items()))


REGISTRY = Registry()


def inc(name: str, value: float = 1.0, /, **labels: object) -> None:
    """Count ``value`` events of ``name`` in this process (the process-wide registry)."""
    REGISTRY.inc(name, value, **labels)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _line(sample: Sample) -> str:
    value = repr(float(sample.value)) if sample.value != int(sample.value) else str(int(sample.value))
    if not sample.labels:
        return f"{sample.name} {value}"
    labels = ",".join(f'{key}="{_escape(val)}"' for key, val in sample.labels)
    return f"{sample.name}{{{labels}}} {value}"


def render(families: Iterable[tuple[str, str, str, Iterable[Sample]]]) -> str:
    """Prometheus text exposition 0.0.4: ``(name, type, help, samples)`` per metric family."""
    out: list[str] = []
    for name, kind, help_text, samples in families:
        out.append(f"# HELP {name} {help_text}")
        out.append(f"# TYPE {name} {kind}")
        out.extend(_line(sample) for sample in samples)
    return "\n".join(out) + "\n"


def counter_families(
    samples: Iterable[Sample], help_text: str = "events counted by all processes"
) -> list[tuple[str, str, str, list[Sample]]]:
    """Counter samples grouped into families, each with its HELP and TYPE lines."""
    grouped: dict[str, list[Sample]] = {}
    for sample in samples:
        grouped.setdefault(sample.name, []).append(sample)
    return [(name, "counter", help_text, grouped[name]) for name in sorted(grouped)]


def encode_labels(labels: LabelSet) -> str:
    """The label set as stored in the database (a key of the counters table): sorted pairs in JSON."""
    return json.dumps([list(pair) for pair in labels], ensure_ascii=False, separators=(",", ":"))


def decode_labels(encoded: str) -> LabelSet:
    return tuple((str(key), str(value)) for key, value in json.loads(encoded))
