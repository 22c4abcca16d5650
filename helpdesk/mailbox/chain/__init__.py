"""The mail chain: every decision about an inbound mail is a small named unit, run in :data:`CHAIN`'s order.

The shape is GNU Mailman 3's rules and chains. A unit (one module of this package, listed in its
``UNITS``) has a ``name``, a one-line ``description`` and ``act(incoming)``, which either ends the
chain with a :class:`~.base.Decision` or notes what it found on the :class:`~.base.Incoming` and
lets the next unit go on. The first decision ends the chain; the mail's ``inbound_mail`` row records
it and the unit that made it (``decided_by``). A decision that holds the mail for a person goes on to
:data:`HOLD`, the way Mailman's rules jump to its hold chain. Adding a rule is adding a module here
and its name to the table; nothing else changes.

The adapter around the chain (:mod:`helpdesk.mailbox.processing`) parses, opens the transaction and
records; :mod:`helpdesk.mailbox.poller` moves the mail.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from types import MappingProxyType

from helpdesk.mailbox.chain.base import Decision, Incoming, Unit

#: The units in the order they run. Identity comes before the size limit, whose notice speaks the
#: writer's language; the cap comes before it too, because a mail too large to read from a writer
#: over the cap is only filed (a flood of large mail must not flood the queue either).
CHAIN: tuple[str, ...] = (
    "duplicate",  # the same mail again, under a new UID
    "loop-header",  # RFC 3834 and friends: filed, never answered
    "own-address",
    "auto-submitted",
    "bounce",
    "mailing-list",
    "digest",
    "bulk",
    "auto-reply",
    "no-sender",  # held: nobody to answer safely, a person reads it
    "hidden-recipients",  # held: a broadcast to nobody by name, a person reads it
    "identity",  # who wrote (notes; never decides)
    "rate-limit",  # the per-sender cap (notes: no automatic answer)
    "size-limit",  # too large to read: a notice, and a person reads it
    "dispatch",  # the shared handlers answer (notes the reply)
    "documents",  # personal documents go in a new mail to the invoice address
    "answer",  # the reply is queued: answered (or skipped:<the unit that ruled it out>)
)

#: Where a decision to hold the mail goes on to, and where a mail that made a unit fail goes.
HOLD: tuple[str, ...] = ("quarantine",)

#: The outcome of a mail no unit decided on: it made a unit fail, or could not be fetched.
QUARANTINED = "quarantined"
#: Outcomes whose mail belongs in the quarantine folder, for rows recorded before a crash.
HELD_OUTCOMES = frozenset({QUARANTINED, "too-large", "skipped:no-sender", "skipped:hidden-recipients"})


def _discover() -> Mapping[str, Unit]:
    """Every unit of this package's modules, by name (Mailman finds its rules the same way)."""
    found: dict[str, Unit] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for unit in getattr(module, "UNITS", ()):
            if unit.name in found:
                raise ValueError(f"two mail units are named {unit.name!r}")
            found[unit.name] = unit
    return MappingProxyType(found)


def units() -> Mapping[str, Unit]:
    """The units by name, found once when the mailbox is imported (a clash fails at start)."""
    return _UNITS


async def run(incoming: Incoming) -> Decision:
    """Run :data:`CHAIN` until a unit decides; a decision to hold the mail goes on to :data:`HOLD`."""
    registry = units()
    for name in CHAIN:
        decision = await registry[name].act(incoming)
        if decision is not None:
            return await hold(incoming, decision) if decision.hold else decision
    raise LookupError(f"no unit of the mail chain decided (the last is {CHAIN[-1]!r})")


async def hold(incoming: Incoming, decision: Decision) -> Decision:
    """A person must read this mail: the :data:`HOLD` units take it over; the decision stands."""
    incoming.decision = decision
    registry = units()
    for name in HOLD:
        await registry[name].act(incoming)
    return decision


def is_held(outcome: str) -> bool:
    """For rows recorded before a crash: whether their mail belongs in the quarantine folder."""
    return outcome in HELD_OUTCOMES


_UNITS = _discover()
