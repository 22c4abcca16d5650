"""Which mail crashes aioimaplib's parser: found by halving the fetch, then quarantined unread.

A response aioimaplib cannot parse (#118's RecursionError on a long one, or one it misreads) ends
the connection with a :class:`~helpdesk.mailbox.imap_client.ParserCrash`. Fetching the same chunk
after reconnecting would crash again, for ever, and every mail behind it would wait. So the UIDs
of the fetch that crashed become suspects: later rounds fetch them in halves, one fetch at a time
with nothing else on the connection, until a fetch of one mail alone crashes. That mail is then
quarantined without being read (a person finds it in the quarantine folder) and the others go on
as usual. A chunk of n mails costs at most ceil(log2 n) + 1 reconnects. The guard lives as long as
the poller, not in the database: after a restart it finds the mail again the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from helpdesk.mailbox.imap_client import ParserCrash, Selected


@dataclass
class CrashGuard:
    folder: str = ""
    uidvalidity: int = 0
    suspects: frozenset[int] = frozenset()
    #: UID -> the crash's cause, for mails whose fetch alone crashed the parser: not fetched again.
    unreadable: dict[int, str] = field(default_factory=dict)

    @property
    def careful(self) -> bool:
        """While there are suspects, fetch one chunk at a time, so that a crash is that fetch's."""
        return bool(self.suspects)

    def plan(self, selected: Selected, uids: Sequence[int], size: int) -> list[list[int]]:
        """Chunks of at most ``size`` UIDs, in UID order; suspects in chunks of half their number."""
        if (selected.folder, selected.uidvalidity) != (self.folder, self.uidvalidity):
            self.folder, self.uidvalidity = selected.folder, selected.uidvalidity
            self.suspects, self.unreadable = frozenset(), {}
        present = set(uids)
        self.suspects &= present  # the rest were handled (or moved away by a person)
        self.unreadable = {uid: cause for uid, cause in self.unreadable.items() if uid in present}
        half = max(1, (len(self.suspects) + 1) // 2)
        chunks: list[list[int]] = []
        previous = False
        for uid in uids:
            suspect = uid in self.suspects
            if not chunks or suspect != previous or len(chunks[-1]) >= (half if suspect else size):
                chunks.append([])
            chunks[-1].append(uid)
            previous = suspect
        return chunks

    def crashed(self, crash: ParserCrash | None) -> bool:
        """Note a crash; False when no fetch was in flight, so there is nothing to narrow down."""
        if crash is None or not crash.fetching:
            return False
        if len(crash.fetching) == 1 and crash.alone:
            uid = crash.fetching[0]
            self.unreadable[uid] = crash.cause
            self.suspects -= {uid}
        else:
            self.suspects = frozenset(crash.fetching)
        return True

    def round_done(self) -> None:
        """A whole round worked: every suspect was fetched and handled."""
        self.suspects = frozenset()
