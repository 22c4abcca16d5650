"""Real-world public test mails that nobody here wrote (CPython's ``email`` tests, flanker,
mail-parser, talon: see realworld/README.md), delivered through the real Dovecot.

Nothing may crash the mailbox or stay in the inbox, every mail gets exactly one outcome, the one
in realworld_expected.txt (so a change in behaviour shows up as a diff of that table), and no
automatic mail is answered, judged here by its headers independently of the product's loop rules.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk.mailbox.poller import run_mailbox
from helpdesk.storage.models.delivery import OutboxMessage
from tests.mailbox.conftest import MailWorld

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]

CORPUS = Path(__file__).parent / "realworld"
EXPECTED = Path(__file__).parent / "realworld_expected.txt"
#: What realworld/ holds besides the mails.
NOT_MAIL = ("README.md", ".gitattributes", "LICENSE", "LICENSE.txt", "NOTICE.txt")


@dataclass(frozen=True)
class Expected:
    name: str  # <source>/<file> under realworld/
    outcome: str
    gap: str  # the point of issue 15 whose fix gives ``outcome``; "" when it is today's outcome

    @property
    def raw(self) -> bytes:
        return (CORPUS / self.name).read_bytes()


def _expected() -> list[Expected]:
    rows = []
    for line in EXPECTED.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, outcome, *gap = line.split()
            rows.append(Expected(name, outcome, " ".join(gap)))
    return rows


def _reason(gap: str) -> str:
    issue, point = gap.split(".")
    return f"issue {issue}, point {point}: not fixed yet"


EXPECTED_ROWS = _expected()
GAPS = [row for row in EXPECTED_ROWS if row.gap]

_DAEMON = re.compile(r"mailer-daemon|postmaster|mail delivery (subsystem|system)", re.IGNORECASE)


def automatic(raw: bytes) -> str | None:
    """Why no automatic answer may go to this mail (RFC 3834, RFC 3464, RFC 2369), or None."""
    mail = message_from_bytes(raw, policy=policy.compat32)

    def values(name: str) -> list[str]:
        return [str(value) for value in mail.get_all(name) or []]

    kinds = {part.get_content_type() for part in mail.walk()}
    sender = " ".join(values("from") + values("sender") + values("return-path"))
    if any(value.split(";")[0].strip().lower() not in ("no", "") for value in values("auto-submitted")):
        return "Auto-Submitted"
    if "multipart/report" in kinds:
        return "multipart/report"
    if _DAEMON.search(sender) and kinds & {"message/delivery-status", "message/rfc822"}:
        return "a bounce from a mail system"
    if any(key.lower().startswith("list-") for key in mail) or values("x-mailman-version"):
        return "a list's headers"
    if "-request@" in sender.lower():
        return "a list's -request address"
    if "multipart/digest" in kinds:
        return "a digest"
    if any(value.strip().lower() in ("bulk", "list", "junk") for value in values("precedence")):
        return "Precedence"
    return None


async def deliver_and_run(world: MailWorld, rows: list[Expected]) -> tuple[dict[str, str], set[str]]:
    """Append the mails in order, run the mailbox until the inbox is empty, and return each mail's
    outcome and the mails a reply was queued to (UIDs count from 1 in the test's fresh mailbox)."""
    world.mail.inbound.mail_replies_per_sender_per_hour = 1000  # the cap has its own tests
    for row in rows:
        await world.append(row.raw)
    async with asyncio.timeout(60):
        while await world.count("INBOX"):
            await run_mailbox(world.services, world.mail, once=True)
    by_uid = await world.outcomes()
    assert sorted(by_uid) == list(range(1, len(rows) + 1)), "not exactly one outcome per mail"
    async with world.services.sessions() as session:
        keys = (await session.scalars(select(OutboxMessage.dedupe_key))).all()
    replied = {int(found[1]) for key in keys if key and (found := re.match(r"mail:INBOX:\d+:(\d+)", key))}
    return {row.name: by_uid[uid] for uid, row in enumerate(rows, 1)}, {rows[uid - 1].name for uid in replied}


def per_source(outcomes: dict[str, str]) -> str:
    """The outcomes counted per source, one line each, for the failure message."""
    table: dict[str, Counter[str]] = {}
    for name, outcome in outcomes.items():
        table.setdefault(name.split("/", 1)[0], Counter())[outcome] += 1
    return "\n".join(f"{source}: {dict(sorted(counts.items()))}" for source, counts in sorted(table.items()))


def test_the_table_lists_every_mail_of_the_corpus() -> None:
    files = [path for path in CORPUS.rglob("*") if path.is_file() and path.name not in NOT_MAIL]
    on_disk = {str(path.relative_to(CORPUS)) for path in files}
    names = [row.name for row in EXPECTED_ROWS]
    assert sorted(names) == sorted(on_disk)
    assert len(set(names)) == len(names)


async def test_every_real_world_mail_gets_its_expected_outcome_and_no_automatic_one_an_answer(
    world: MailWorld,
) -> None:
    outcomes, replied = await deliver_and_run(world, EXPECTED_ROWS)

    assert await world.count("INBOX") == 0
    wanted = {row.name: row.outcome for row in EXPECTED_ROWS if not row.gap}
    got = {name: outcome for name, outcome in outcomes.items() if name in wanted}
    assert got == wanted, "per source now:\n" + per_source(outcomes)
    answered = {name for name, outcome in outcomes.items() if outcome == "answered"}
    assert answered <= replied  # the reply lookup works, so the next check cannot pass for nothing
    automatic_replied = {
        row.name: automatic(row.raw) for row in EXPECTED_ROWS if not row.gap and row.name in replied
    }
    assert {name: why for name, why in automatic_replied.items() if why} == {}


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(
            row,
            id=row.name,
            marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=_reason(row.gap)),
        )
        for row in GAPS
    ],
)
async def test_a_known_gap_gets_the_outcome_its_fix_gives(world: MailWorld, row: Expected) -> None:
    outcomes, replied = await deliver_and_run(world, [row])
    assert outcomes[row.name] == row.outcome
    assert (row.name in replied) == (row.outcome == "answered")
