"""Queue items: GDPR access/correction requests, escalated questions, quarantined mail.

Callers import this package (``from helpdesk.storage.repositories import requests``) and call its
functions; the modules split them by job: :mod:`.records` files an item and changes what it says,
:mod:`.status` moves it between open, claimed, waiting and closed (the agents' leases), and
:mod:`.queue` reads the queue.
"""

from helpdesk.storage.repositories.requests.queue import (
    due_before,
    find_open,
    list_items,
    open_counts,
    open_of,
)
from helpdesk.storage.repositories.requests.records import (
    attach,
    create,
    extend_deadline,
    get,
    mark_verified,
    set_details,
)
from helpdesk.storage.repositories.requests.status import (
    claim,
    close,
    release,
    renew,
    resident_wrote,
    seen_reply,
    stop_waiting,
    wait,
)

__all__ = [
    "attach",
    "claim",
    "close",
    "create",
    "due_before",
    "extend_deadline",
    "find_open",
    "get",
    "list_items",
    "mark_verified",
    "open_counts",
    "open_of",
    "release",
    "renew",
    "resident_wrote",
    "seen_reply",
    "set_details",
    "stop_waiting",
    "wait",
]
