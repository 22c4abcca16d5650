"""A thin, defensive wrapper around one aioimaplib connection.

aioimaplib 2.0.3 does not report every failure (shared notes/mail.md): a connection dropped during
IDLE leaves the idle task waiting forever and later commands only time out (upstream #110); a
~1,000-line response crashes its parser (#118). So every call here has a timeout, the transport's
``conn_lost_cb`` and a ``BYE`` are fatal, fetches are chunked by the caller, and any doubt raises
:class:`MailboxGone`, after which the poller throws the client away and reconnects.
Timeouts are ``asyncio.timeout``, never ``wait_for``: on 3.11 ``wait_for`` can swallow the stop
that lands as a command ends (CPython #86296), and the poller then polls on after shutdown.

A crash of the parser: aioimaplib parses inside its protocol's ``data_received``. What that raises
goes to the transport (CPython 3.11 ``selector_events._read_ready__data_received``; ``sslproto._do_read``
for TLS), which logs it through the loop's exception handler and closes the connection; the
pending command is never completed (#118's RecursionError strikes inside the command's own timer
reset, so not even aioimaplib's timer is left) and was noticed only when our timeout ran out,
120 s for a FETCH. So each connection wraps its own protocol's ``data_received``: a crash marks the
connection lost at once, records :class:`ParserCrash` (the exception's type only: aioimaplib's
messages carry the response, and the pending command with LOGIN's password), and every waiting
call fails with :class:`MailboxGone`. Nothing reaches the loop's (process-wide) handler.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any

import aioimaplib

from helpdesk.core.errors import ConfigurationError
from helpdesk.settings import MailboxSettings, TransportSecurity

#: Longest wait for one IMAP command; a silently dropped connection is noticed within this.
COMMAND_TIMEOUT_SECONDS = 30.0

#: RFC 2177: a client should re-issue IDLE at least every 29 minutes (servers drop longer ones).
IDLE_MAX_SECONDS = 29 * 60

_UIDVALIDITY = re.compile(rb"\[UIDVALIDITY (\d+)\]")
_FETCH_UID = re.compile(rb"\(.*?\bUID (\d+)")
_TRAILING_UID = re.compile(rb"\bUID (\d+)")
_LITERAL = re.compile(rb"\{(\d+)\}$")


class MailboxGone(Exception):
    """The IMAP connection is lost, timed out or in doubt: rebuild it."""


class ImapCommandFailed(Exception):
    """The server answered NO/BAD to a command (a missing folder, a refused MOVE)."""


@dataclass(frozen=True, slots=True)
class ParserCrash:
    """aioimaplib could not parse what the server sent; the connection was dropped."""

    cause: str  # the exception's type name, never its message (that carries the response)
    fetching: tuple[int, ...]  # the UIDs of the FETCH in flight, if one was
    alone: bool  # nothing else was waiting on the connection: the crash was that FETCH's


@dataclass(frozen=True, slots=True)
class Selected:
    folder: str
    uidvalidity: int
    exists: int


def _quote(folder: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9._/-]+", folder):
        return folder
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uid_set(uids: Sequence[int]) -> str:
    """Compact "1:5,7,9:10" form: keeps command lines short for large moves."""
    ordered = sorted(set(uids))
    ranges: list[str] = []
    start = prev = ordered[0]
    for uid in ordered[1:]:
        if uid == prev + 1:
            prev = uid
            continue
        ranges.append(f"{start}:{prev}" if start != prev else str(start))
        start = prev = uid
    ranges.append(f"{start}:{prev}" if start != prev else str(start))
    return ",".join(ranges)


def parse_fetch(lines: Sequence[Any]) -> list[tuple[int, bytes]]:
    """(uid, raw message) pairs from a ``UID FETCH ... BODY.PEEK[]`` response.

    The UID may come before the literal (``* 1 FETCH (UID 5 BODY[] {123}``) or after it
    (``BODY[] {123}`` ... `` UID 5)``); both shapes are accepted.
    """
    found: list[tuple[int, bytes]] = []
    pending_uid: int | None = None
    pending_body: bytes | None = None
    for line in lines:
        if isinstance(line, bytearray):
            pending_body = bytes(line)
            if pending_uid is not None:
                found.append((pending_uid, pending_body))
                pending_uid, pending_body = None, None
            continue
        if not isinstance(line, bytes):
            continue
        if b"FETCH (" in line:
            match = _FETCH_UID.search(line)
            pending_uid = int(match.group(1)) if match else None
            pending_body = None
        elif pending_body is not None:
            match = _TRAILING_UID.search(line)
            if match:
                found.append((int(match.group(1)), pending_body))
                pending_body = None
    return found


class ImapConnection:
    """One logged-in IMAP session. Not reusable after :class:`MailboxGone`."""

    def __init__(self, settings: MailboxSettings, *, timeout: float | None = None) -> None:
        self.settings = settings
        self.timeout = timeout or COMMAND_TIMEOUT_SECONDS
        self.lost = asyncio.Event()
        self.crash: ParserCrash | None = None
        self._client: aioimaplib.IMAP4 | None = None
        self._in_flight = 0
        self._fetching: tuple[int, ...] = ()

    @property
    def client(self) -> aioimaplib.IMAP4:
        if self._client is None:
            raise MailboxGone("not connected")
        return self._client

    def _on_lost(self, _exc: Exception | None) -> None:
        self.lost.set()

    def _guard_parser(self, protocol: Any) -> None:
        """Catch what aioimaplib's parser raises before the transport does (see the module's doc)."""
        parse = protocol.data_received

        def data_received(data: bytes) -> None:
            try:
                parse(data)
            except Exception as exc:  # any of them leaves the parser in an unknown state
                if self.crash is None:
                    self.crash = ParserCrash(type(exc).__name__, self._fetching, self._in_flight <= 1)
                self.lost.set()
                transport = protocol.transport
                if transport is not None:
                    transport.abort()  # connection_lost follows, and conn_lost_cb with it

        protocol.data_received = data_received

    def _why_lost(self) -> str:
        if self.crash is not None:
            return f"IMAP response unreadable ({self.crash.cause})"
        return "connection lost"

    async def _call(self, awaitable: Awaitable[Any], *, seconds: float | None = None) -> Any:
        """Await one aioimaplib call, or the connection's loss, or the timeout: whichever is first."""
        if self.lost.is_set():
            if asyncio.iscoroutine(awaitable):
                awaitable.close()  # never sent: no "coroutine was never awaited" warning
            raise MailboxGone(self._why_lost())
        command = asyncio.ensure_future(awaitable)
        lost = asyncio.ensure_future(self.lost.wait())
        self._in_flight += 1
        try:
            async with asyncio.timeout(seconds or self.timeout):
                await asyncio.wait({command, lost}, return_when=asyncio.FIRST_COMPLETED)
            if self.lost.is_set():
                raise MailboxGone(self._why_lost())
            response = command.result()
        except (TimeoutError, aioimaplib.AioImapException, OSError, RecursionError) as exc:
            self.lost.set()
            raise MailboxGone(type(exc).__name__) from exc
        finally:
            self._in_flight -= 1
            for waiter in (command, lost):
                if not waiter.done():
                    waiter.cancel()  # also on a stop: nothing outlives the call
                elif not waiter.cancelled():
                    waiter.exception()  # retrieved: no "exception was never retrieved" later
        lines = getattr(response, "lines", []) or []
        if any(isinstance(line, bytes) and line.startswith(b"BYE") for line in lines):
            self.lost.set()
            raise MailboxGone("server said BYE")
        return response

    async def _ok(self, awaitable: Awaitable[Any], what: str, *, seconds: float | None = None) -> Any:
        response = await self._call(awaitable, seconds=seconds)
        if response.result != "OK":
            raise ImapCommandFailed(f"{what}: {response.result}")
        return response

    async def open(self) -> None:
        settings = self.settings
        if not settings.imap_host or not settings.imap_user or settings.imap_password is None:
            raise ConfigurationError(
                "HELPDESK_IMAP_HOST, HELPDESK_IMAP_USER and HELPDESK_IMAP_PASSWORD are needed"
            )
        if settings.imap_security is TransportSecurity.STARTTLS:
            raise ConfigurationError(
                "HELPDESK_IMAP_SECURITY=starttls is not supported by aioimaplib: use ssl (port 993) or none"
            )
        context = ssl.create_default_context() if settings.imap_security is TransportSecurity.SSL else None
        try:
            # IMAP4 with ssl_context, not IMAP4_SSL: only IMAP4 takes conn_lost_cb (aioimaplib #107).
            self._client = aioimaplib.IMAP4(
                host=settings.imap_host,
                port=settings.imap_port,
                timeout=self.timeout,
                conn_lost_cb=self._on_lost,
                ssl_context=context,
            )
        except OSError as exc:
            raise MailboxGone(type(exc).__name__) from exc
        self._guard_parser(self._client.protocol)
        await self._call(self.client.wait_hello_from_server())
        password = settings.imap_password.get_secret_value()
        response = await self._call(self.client.login(settings.imap_user, password))
        if response.result != "OK":
            raise MailboxGone("login refused")

    async def ensure_folder(self, folder: str) -> None:
        # NO [ALREADYEXISTS] is the common answer and is fine; a real problem shows at MOVE time.
        await self._call(self.client.create(_quote(folder)))

    async def select(self, folder: str) -> Selected:
        response = await self._ok(self.client.select(_quote(folder)), "SELECT")
        uidvalidity = exists = 0
        for line in response.lines:
            if not isinstance(line, bytes):
                continue
            match = _UIDVALIDITY.search(line)
            if match:
                uidvalidity = int(match.group(1))
            if line.endswith(b" EXISTS"):
                exists = int(line.split()[0])
        if not uidvalidity:
            raise MailboxGone("SELECT gave no UIDVALIDITY")
        return Selected(folder, uidvalidity, exists)

    async def uids_after(self, last_uid: int) -> list[int]:
        # charset=None: aioimaplib would send CHARSET utf-8, which some servers refuse.
        response = await self._ok(self.client.uid_search(f"UID {last_uid + 1}:*", charset=None), "SEARCH")
        uids: list[int] = []
        for line in response.lines[:-1]:
            if isinstance(line, bytes):
                uids.extend(int(part) for part in line.split() if part.isdigit())
        # "UID n:*" always returns the highest UID, even below n (RFC 3501): filter.
        return sorted(uid for uid in set(uids) if uid > last_uid)

    async def fetch(self, uids: Sequence[int]) -> list[tuple[int, bytes]]:
        """Raw messages, without setting \\Seen (BODY.PEEK); call with a bounded chunk of UIDs.

        If the answer crashes the parser, :attr:`crash` names these UIDs (the poller narrows down
        which mail it was)."""
        self._fetching = tuple(uids)
        try:
            response = await self._ok(
                self.client.uid("fetch", uid_set(uids), "(UID BODY.PEEK[])"),
                "FETCH",
                seconds=self.timeout * 4,
            )
        finally:
            self._fetching = ()
        return parse_fetch(response.lines)

    async def move(self, uids: Sequence[int], folder: str) -> None:
        if not uids:
            return
        if self.client.has_capability("MOVE"):
            await self._ok(self.client.uid("move", uid_set(uids), _quote(folder)), "MOVE")
            return
        await self._ok(self.client.uid("copy", uid_set(uids), _quote(folder)), "COPY")
        await self._ok(self.client.uid("store", uid_set(uids), "+FLAGS.SILENT", r"(\Deleted)"), "STORE")
        await self._ok(self.client.expunge(), "EXPUNGE")

    async def noop(self) -> None:
        await self._ok(self.client.noop(), "NOOP")

    async def wait_for_mail(self, seconds: float) -> bool:
        """IDLE for up to ``seconds``; True when the server announced new mail (EXISTS).

        Without IDLE support this is a plain sleep (the fallback poll). A drop during IDLE ends
        the wait at once through ``conn_lost_cb``; a silent one is caught by the NOOP after it.
        """
        seconds = min(seconds, IDLE_MAX_SECONDS)
        if not self.client.has_capability("IDLE"):
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(seconds):
                    await self.lost.wait()
            if self.lost.is_set():
                raise MailboxGone(self._why_lost())
            return False
        idle = await self._call(self.client.idle_start(timeout=seconds + 60))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        news = False
        try:
            while not news:
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                push = asyncio.ensure_future(self.client.wait_server_push(timeout=remaining))
                lost = asyncio.ensure_future(self.lost.wait())
                try:
                    done, _ = await asyncio.wait({push, lost}, return_when=asyncio.FIRST_COMPLETED)
                finally:  # also on a stop: neither waiter outlives this round
                    for waiter in (push, lost):
                        if not waiter.done():
                            waiter.cancel()
                if lost in done:
                    raise MailboxGone(f"{self._why_lost()} during IDLE")
                try:
                    lines = push.result()
                except TimeoutError:
                    break
                if not isinstance(lines, list):
                    break  # STOP_WAIT_SERVER_PUSH: aioimaplib's own IDLE timer
                for line in lines:
                    if isinstance(line, bytes) and line.startswith(b"BYE"):
                        self.lost.set()
                        raise MailboxGone("server said BYE during IDLE")
                    if isinstance(line, bytes) and line.endswith(b"EXISTS"):
                        news = True
        finally:
            if not self.lost.is_set():
                self.client.idle_done()
                try:
                    async with asyncio.timeout(self.timeout):
                        await idle
                except (TimeoutError, aioimaplib.AioImapException, OSError) as exc:
                    self.lost.set()
                    raise MailboxGone("IDLE did not end") from exc
            else:
                idle.cancel()
        return news

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        if not self.lost.is_set():
            with contextlib.suppress(Exception):
                async with asyncio.timeout(5):
                    await client.logout()
        with contextlib.suppress(Exception):
            transport = client.protocol.transport
            if transport is not None:
                transport.close()
