"""The IMAP side of the mailbox: find new mail, hand each to :mod:`processing` (which runs the mail
chain), and move it to the folder its decision names.

Exactly once: a mail's ``inbound_mail`` row (and its reply) is committed before the mail is moved
out of the inbox, and ``last_uid`` advances in that same transaction. After a crash anywhere:
- before the commit: the mail is still new and is processed again (nothing was kept);
- after the commit, before the move: the row says so, and the mail is moved without a new answer.
A new UIDVALIDITY resets ``last_uid``; a mail that was already answered under the old UIDs is
recognised by its Message-ID (or its bytes) and filed without an answer.

``run_mailbox(services, config, once=True)`` processes what is there and returns; otherwise it IDLEs (with
a fallback poll every ``imap_poll_seconds`` and a NOOP watchdog) and reconnects with capped,
jittered backoff after any failure, including the silent ones aioimaplib does not report.
A fetch whose answer crashes aioimaplib's parser is narrowed down by :mod:`crash_guard` (the
reconnect is then immediate, as each crash narrows it): the mail that does it is quarantined
unread and the others are handled, in ``--once`` runs too.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

from helpdesk.core.errors import ConfigurationError
from helpdesk.mailbox.backoff import Backoff
from helpdesk.mailbox.chain import is_held
from helpdesk.mailbox.chain.base import Decision, Position
from helpdesk.mailbox.config import MailConfig
from helpdesk.mailbox.crash_guard import CrashGuard
from helpdesk.mailbox.imap_client import ImapCommandFailed, ImapConnection, MailboxGone, Selected
from helpdesk.mailbox.parsing import ParsedMail, identity_of
from helpdesk.mailbox.processing import Parsed, StorageUnavailable, handle_mails, hold_unreadable, parse_mails
from helpdesk.services import Services
from helpdesk.settings import MailboxSettings
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import mail as mail_repo

log = logging.getLogger(__name__)

_FROM_LINE = re.compile(rb"^from:[ \t]*([^\r\n]*)", re.IGNORECASE | re.MULTILINE)

#: Called after each processed chunk (tests use it to crash "between fetch and move").
AfterCommit = Callable[[list[int]], None]


async def _state(services: Services, selected: Selected) -> int:
    """``last_uid`` for this folder, resetting it when the UIDVALIDITY changed."""
    async with services.sessions() as session:  # a read, every round: no writer turn for it
        state = await mail_repo.get_state(session, selected.folder)
    if state is not None and state.uidvalidity == selected.uidvalidity:
        return state.last_uid
    if state is not None:
        log.warning("UIDVALIDITY of %s changed: UIDs start over", selected.folder)
    async with services.sessions() as session, write_transaction(session):
        state = await mail_repo.reset_state(session, selected.folder, selected.uidvalidity, services.clock())
        return state.last_uid


async def _move(
    services: Services, imap: ImapConnection, selected: Selected, moves: dict[str, list[int]]
) -> None:
    """Move recorded mail to its folder. A refused MOVE (a missing folder, a full quota) leaves the
    rows unmoved, to be tried again next round; it never stops new mail from being read."""
    for folder, uids in moves.items():
        if not uids:
            continue
        try:
            await imap.move(uids, folder)
        except ImapCommandFailed as exc:
            log.warning(
                "could not move %d mail(s) to %s: %s; trying again next round", len(uids), folder, exc
            )
            continue
        async with services.sessions() as session, write_transaction(session):
            await mail_repo.mark_moved(session, selected.folder, selected.uidvalidity, uids)


def _folder_for(settings: MailboxSettings, outcome: Decision | str) -> str:
    held = outcome.hold if isinstance(outcome, Decision) else is_held(outcome)
    return settings.imap_quarantine_folder if held else settings.imap_processed_folder


async def _finish_recorded(
    services: Services, config: MailConfig, imap: ImapConnection, selected: Selected
) -> None:
    """Move what was committed but not moved before a crash (no second answer)."""
    async with services.sessions() as session:
        rows = await mail_repo.unmoved(session, selected.folder, selected.uidvalidity)
    if not rows:
        return
    moves: dict[str, list[int]] = {}
    for row in rows:
        moves.setdefault(_folder_for(config.inbound, row.outcome), []).append(row.uid)
    log.info("moving %d mail(s) recorded before a restart", len(rows))
    await _move(services, imap, selected, moves)


def _lanes(fetched: list[tuple[int, bytes]], parsed: Parsed | None = None) -> list[list[tuple[int, bytes]]]:
    """The chunk's mails in lanes: one lane for all mails that share a sender or a Message-ID, each
    lane handled in UID order by one task.

    What lanes keep apart must touch none of the same rows and decide nothing together. The sender
    is the address as the chain reads it (normalised, display name aside): it keys the conversation
    and the per-sender cap, so one address under two names in two lanes deadlocked on its
    conversation and counted the cap twice. The Message-ID decides a duplicate, so two copies in two
    lanes were both answered. A mail without one plain address keeps its raw From line. ``parsed``:
    the mails already parsed, whose sender and Message-ID are read rather than parsed again.
    """
    lane_of: dict[str, int] = {}  # a key (sender, Message-ID) -> its lane, merged as keys meet
    members: dict[int, list[tuple[int, bytes]]] = {}
    for uid, raw in fetched:
        mail = parsed.get(uid) if parsed is not None else None
        if isinstance(mail, ParsedMail):
            sender, message_id_hash = mail.sender, mail.message_id_hash
        else:
            sender, message_id_hash = identity_of(raw)
        if sender is None:
            match = _FROM_LINE.search(raw[:65536])
            sender = "raw:" + (match.group(1).strip().lower().decode("ascii", "replace") if match else "")
        keys = (f"from:{sender}", f"mid:{message_id_hash}")
        found = sorted({lane_of[key] for key in keys if key in lane_of})
        lane = found[0] if found else len(members)
        mails = members.setdefault(lane, [])
        for other in found[1:]:  # this mail joins two lanes: they become one
            mails.extend(members.pop(other))
            for key, value in lane_of.items():
                if value == other:
                    lane_of[key] = lane
        mails.append((uid, raw))
        for key in keys:
            lane_of[key] = lane
    return [sorted(mails) for mails in members.values()]


async def _handle_chunk(
    services: Services, config: MailConfig, selected: Selected, fetched: list[tuple[int, bytes]]
) -> dict[int, Decision]:
    """Handle a chunk; on PostgreSQL several senders at once, each sender's mails in UID order."""

    def positioned(items: list[tuple[int, bytes]]) -> list[tuple[Position, bytes]]:
        return [(Position(selected.folder, selected.uidvalidity, uid), raw) for uid, raw in items]

    concurrency = 1 if services.storage.is_sqlite else config.inbound.mail_concurrency
    if concurrency == 1:
        return await handle_mails(services, config, positioned(fetched))
    parsed = parse_mails(config, positioned(fetched))  # once: the lanes read it, then the chain
    lanes = _lanes(fetched, parsed)
    # Lanes are spread over ``concurrency`` groups, each handled in order in its own transactions.
    groups: list[list[tuple[int, bytes]]] = [[] for _ in range(min(concurrency, len(lanes)))]
    for items in sorted(lanes, key=len, reverse=True):
        min(groups, key=len).extend(items)
    tasks = [
        asyncio.create_task(handle_mails(services, config, positioned(group), parsed))
        for group in groups
        if group
    ]
    results: dict[int, Decision] = {}
    try:
        for done in await asyncio.gather(*tasks):
            results.update(done)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
    return results


async def _quarantine_unreadable(
    services: Services, config: MailConfig, selected: Selected, uid: int, cause: str
) -> str:
    """Record a mail whose fetch alone crashed the parser as quarantined, for a person, unread."""
    decision = await hold_unreadable(
        services, config, Position(selected.folder, selected.uidvalidity, uid), cause
    )
    log.warning("mail uid=%s crashes the IMAP parser (%s) when fetched alone; quarantined unread", uid, cause)
    return decision.outcome


async def _fetch_new(
    services: Services,
    config: MailConfig,
    imap: ImapConnection,
    selected: Selected,
    wanted: list[int],
    guard: CrashGuard,
) -> tuple[dict[int, str], list[tuple[int, bytes]]]:
    """Outcomes of UIDs already recorded (to move only) and the raw mails still to handle."""
    async with services.sessions() as session:
        known = await mail_repo.recorded(session, selected.folder, selected.uidvalidity, wanted)
    outcomes = {uid: row.outcome for uid, row in known.items()}
    for uid in wanted:
        cause = guard.unreadable.get(uid)
        if cause is not None and uid not in outcomes:
            outcomes[uid] = await _quarantine_unreadable(services, config, selected, uid, cause)
            del guard.unreadable[uid]
    missing = [uid for uid in wanted if uid not in outcomes]
    fetched = await imap.fetch(missing) if missing else []
    return outcomes, fetched


async def process_available(
    services: Services,
    config: MailConfig,
    imap: ImapConnection,
    *,
    after_commit: AfterCommit | None = None,
    guard: CrashGuard | None = None,
) -> int:
    """One round over the inbox; returns how many new mails were processed.

    The next chunk is fetched while this one is handled, so IMAP and the database work side by side
    (not while ``guard`` is narrowing down a parser crash: then each fetch is alone on the line).
    """
    settings = config.inbound
    guard = guard if guard is not None else CrashGuard()
    selected = await imap.select(settings.imap_folder)
    last_uid = await _state(services, selected)
    await _finish_recorded(services, config, imap, selected)
    uids = await imap.uids_after(last_uid)
    chunks = guard.plan(selected, uids, settings.imap_fetch_chunk)
    prefetch = not guard.careful

    def fetch(index: int) -> asyncio.Task[tuple[dict[int, str], list[tuple[int, bytes]]]]:
        return asyncio.create_task(_fetch_new(services, config, imap, selected, chunks[index], guard))

    processed = 0
    pending = fetch(0) if chunks else None
    try:
        for index, wanted in enumerate(chunks):
            if pending is None:
                pending = fetch(index)
            known, fetched = await pending
            pending = None
            if prefetch and index + 1 < len(chunks):
                pending = fetch(index + 1)
            moves: dict[str, list[int]] = {}
            for uid, outcome in known.items():
                moves.setdefault(_folder_for(settings, outcome), []).append(uid)
            for uid, result in sorted((await _handle_chunk(services, config, selected, fetched)).items()):
                moves.setdefault(_folder_for(settings, result), []).append(uid)
            processed += len(fetched)
            if after_commit is not None:
                after_commit([uid for uid, _ in fetched])
            await _move(services, imap, selected, moves)
            async with services.sessions() as session, write_transaction(session):
                await mail_repo.advance(
                    session, selected.folder, selected.uidvalidity, max(wanted), services.clock()
                )
    finally:
        if pending is not None:
            pending.cancel()
            await asyncio.gather(pending, return_exceptions=True)
    guard.round_done()
    if processed:
        log.info("processed %d mail(s) from %s", processed, selected.folder)
    return processed


async def connect(settings: MailboxSettings) -> ImapConnection:
    imap = ImapConnection(settings)
    try:
        await imap.open()
        for folder in (settings.imap_processed_folder, settings.imap_quarantine_folder):
            await imap.ensure_folder(folder)
    except BaseException:
        await imap.close()
        raise
    return imap


async def _serve(
    services: Services,
    config: MailConfig,
    imap: ImapConnection,
    wake: asyncio.Event | None,
    backoff: Backoff,
    guard: CrashGuard,
) -> None:
    """Process, then IDLE until new mail or the poll interval, then check the line with NOOP."""
    while True:
        processed = await process_available(services, config, imap, guard=guard)
        backoff.reset()  # a whole round worked: a server that takes logins and then fails keeps backing off
        if processed and wake is not None:
            wake.set()  # answers are queued: let the sender go now
        await imap.wait_for_mail(config.inbound.imap_poll_seconds)
        await imap.noop()  # the watchdog: a silently dropped connection times out here


def _narrows(guard: CrashGuard, imap: ImapConnection | None, exc: MailboxGone) -> bool:
    """True when the connection died of a parser crash during a fetch, which ``guard`` now narrows."""
    if imap is None or not guard.crashed(imap.crash):
        return False
    log.warning("mailbox: %s during a fetch; reconnecting at once to narrow it down", exc)
    return True


async def run_mailbox(
    services: Services, config: MailConfig, *, once: bool, wake: asyncio.Event | None = None
) -> None:
    """Process the mailbox once, or forever (reconnecting with backoff after any failure)."""
    guard = CrashGuard()
    if once:
        while True:  # ends: each crash the guard takes narrows its suspects or settles one mail
            single = await connect(config.inbound)
            try:
                await process_available(services, config, single, guard=guard)
                return
            except MailboxGone as exc:
                if not _narrows(guard, single, exc):
                    raise
            finally:
                await single.close()
    backoff = Backoff()
    while True:
        imap: ImapConnection | None = None
        try:
            imap = await connect(config.inbound)
            await _serve(services, config, imap, wake, backoff, guard)
        except (MailboxGone, ImapCommandFailed, StorageUnavailable) as exc:
            if isinstance(exc, MailboxGone) and _narrows(guard, imap, exc):
                continue  # no backoff: the next round fetches fewer mails, so this cannot loop
            delay = backoff.next_delay()
            log.warning("mailbox: %s (%s); reconnecting in %.1f s", type(exc).__name__, exc, delay)
            await asyncio.sleep(delay)
        except ConfigurationError:
            raise
        except Exception:  # a bug must not end the mailbox for good: log it, back off, go on
            delay = backoff.next_delay()
            log.exception("mailbox round failed; reconnecting in %.1f s", delay)
            await asyncio.sleep(delay)
        finally:
            if imap is not None:
                await imap.close()
