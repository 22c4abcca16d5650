"""A loopback TCP proxy between the poller and Dovecot that can misbehave the ways servers do.

- ``freeze()``: the connections it holds stop passing data but stay open, which is how a NAT
  timeout or a dead peer looks (aioimaplib #110 never notices those).
- ``poison``: a ``UID FETCH`` naming one of these UIDs is not passed on; the client gets ``JUNK``
  instead, thousands of untagged lines in one burst, which is what crashes aioimaplib's parser
  (#118: it recurses once a line and raises RecursionError inside ``data_received``).
- ``mangle_login``: the answer to LOGIN carries a tag the client never sent, which makes
  aioimaplib raise an ``Abort`` whose message holds the pending command, password included.
- ``inject(JUNK)``: the same burst pushed unasked, e.g. while the poller IDLEs.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import dataclass, field

#: One burst of untagged FETCH lines, far more than Python's recursion limit of 1,000.
JUNK = b"* 1 FETCH (FLAGS ())\r\n" * 5000

_UID_FETCH = re.compile(rb"^\S+ UID FETCH ([0-9:,*]+) ", re.MULTILINE)
_LOGIN = re.compile(rb"^\S+ LOGIN ", re.MULTILINE)


def uids_in(uid_set: bytes) -> set[int]:
    """The UIDs of a sequence set such as ``1:3,7`` (``*`` is read as "no upper end": not needed here)."""
    found: set[int] = set()
    for part in uid_set.split(b","):
        low, _, high = part.partition(b":")
        if high in (b"", low):
            found.add(int(low))
        elif high != b"*":
            first, last = sorted((int(low), int(high)))
            found.update(range(first, last + 1))
    return found


@dataclass
class SilentProxy:
    target_port: int
    port: int = 0
    frozen: set[asyncio.StreamWriter] = field(default_factory=set)
    live: set[asyncio.StreamWriter] = field(default_factory=set)
    server: asyncio.Server | None = None
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    poison: set[int] = field(default_factory=set)
    mangle_login: bool = False
    #: The UID sets of the fetches answered with JUNK, in order (what the poller asked for).
    poisoned_fetches: list[set[int]] = field(default_factory=list)

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    def _misbehave(self, data: bytes, client: asyncio.StreamWriter) -> bool:
        """Answer the client's command ourselves, badly; True when it must not reach the server."""
        if self.mangle_login and _LOGIN.search(data):
            client.write(b"NOTAGWESENT OK [CAPABILITY IMAP4rev1] Logged in\r\n")
            return True
        for match in _UID_FETCH.finditer(data):
            wanted = uids_in(match.group(1))
            if wanted & self.poison:
                self.poisoned_fetches.append(wanted)
                client.write(JUNK)
                return True
        return False

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        key: asyncio.StreamWriter,
        *,
        from_client: bool,
    ) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                if key in self.frozen:
                    continue  # swallowed: the peer hears nothing and is not told
                if from_client and self._misbehave(data, key):
                    await key.drain()
                    continue
                writer.write(data)
                await writer.drain()
        if key not in self.frozen:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.live.add(writer)
        for task in (
            asyncio.create_task(self._pipe(reader, upstream_writer, writer, from_client=True)),
            asyncio.create_task(self._pipe(upstream_reader, writer, writer, from_client=False)),
        ):
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    def inject(self, data: bytes) -> None:
        """Send ``data`` to every client connected now, as if the server had pushed it."""
        for writer in self.live:
            if not writer.is_closing():
                writer.write(data)

    def freeze(self) -> None:
        """Every connection open now goes silent; new connections work normally."""
        self.frozen |= self.live

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
        for writer in self.live:
            writer.close()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
