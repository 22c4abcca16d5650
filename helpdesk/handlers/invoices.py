"""Invoices: the latest, one period, or the list to pick from. Only ever the asker's own.

A period or invoice id that is not the resident's gets the same answer as one that does not exist,
so the reply reveals nothing about other residents.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from pathlib import Path

from helpdesk.core.types import Action, Button, Channel, Document, Reply, ReplyKind
from helpdesk.handlers import documents, escalate
from helpdesk.handlers.common import menu_buttons, not_identified
from helpdesk.handlers.context import Context
from helpdesk.handlers.periods import period_in_text
from helpdesk.storage.files import stored_path
from helpdesk.storage.models.invoices import Invoice
from helpdesk.storage.repositories import invoices
from helpdesk.storage.repositories.invoices import InvoiceFile

_PERIOD = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
_IDENTIFIER = re.compile(r"[A-Za-z0-9._-]{1,100}")


#: (path, device, inode, size, mtime_ns, ctime_ns) -> SHA-256 of the bytes that file had. Reading and
#: hashing a ~100 KB PDF on every send was a large part of an invoice reply's CPU; a file that is
#: rewritten, replaced or touched gets a new key and is hashed again.
_VERIFIED: dict[tuple[str, int, int, int, int, int], str] = {}
_VERIFIED_MAX = 4096
#: A file changed less than this long ago is hashed every time: a rewrite within the file system's
#: timestamp granularity (a few ms) could keep size and mtime, so a fresh entry could hide it.
_SETTLED_NS = 2_000_000_000


def _stat_key(path: Path, st: os.stat_result) -> tuple[str, int, int, int, int, int]:
    return (str(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def file_matches(path: Path, expected_sha256: str) -> bool:
    """Whether ``path`` is a regular file whose bytes have the SHA-256 recorded at import.

    The hash is remembered per file identity and timestamps (see :data:`_VERIFIED`), and only when
    the file did not change while it was read and has not changed in the last two seconds.
    """
    try:
        st = path.stat()
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode):
        return False
    key = _stat_key(path, st)
    known = _VERIFIED.get(key)
    if known is not None:
        return known == expected_sha256
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            before = os.fstat(handle.fileno())
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
            after = os.fstat(handle.fileno())
    except OSError:
        return False
    actual = digest.hexdigest()
    settled = time.time_ns() - max(after.st_mtime_ns, after.st_ctime_ns) > _SETTLED_NS
    if _stat_key(path, before) == _stat_key(path, after) == key and settled:
        if len(_VERIFIED) >= _VERIFIED_MAX:
            _VERIFIED.pop(next(iter(_VERIFIED)))  # the oldest entry
        _VERIFIED[key] = actual
    return actual == expected_sha256


async def _guard(ctx: Context, intent: str) -> Reply | None:
    """Identified residents only; by e-mail only when writing from the invoice address (#1)."""
    if not ctx.resident_id:
        return not_identified(ctx, intent)
    if ctx.channel is Channel.EMAIL:
        resident = await ctx.known_resident()
        if resident is None or (resident.invoice_email or "") != ctx.inquiry.sender.strip().lower():
            return ctx.reply(
                ctx._(
                    "For your safety, we send invoices only to the invoice e-mail address registered on "
                    "your account. Please write from that address or download the invoice in the portal."
                ),
                ReplyKind.REFUSAL,
                intent=intent,
            )
    return None


def _period_name(ctx: Context, period: str) -> str:
    """``2026-11`` as the caption says it: "par 2026. gada novembri", "за ноябрь 2026 г.".

    Each month is its own catalog text because the case depends on the sentence ("par" takes the
    accusative in Latvian); Babel's month names are only nominative and genitive.
    """
    match = _PERIOD.fullmatch(period)
    if match is None:
        return period
    _ = ctx._
    months = (
        _("January {year}"),
        _("February {year}"),
        _("March {year}"),
        _("April {year}"),
        _("May {year}"),
        _("June {year}"),
        _("July {year}"),
        _("August {year}"),
        _("September {year}"),
        _("October {year}"),
        _("November {year}"),
        _("December {year}"),
    )
    return months[int(match.group(2)) - 1].format(year=match.group(1))


async def _send(ctx: Context, invoice: InvoiceFile, intent: str) -> Reply:
    _ = ctx._
    path = stored_path(ctx.services.storage.invoice_dir, invoice.file_path)
    if path is None or not file_matches(path, invoice.sha256):
        # Never send a file that is not the one imported; a person checks it.
        return await escalate.file_problem(ctx, invoice.id)
    caption = _("Invoice for {period}: {amount}, due {due}.").format(
        period=_period_name(ctx, invoice.period),
        amount=ctx.money(invoice.amount, invoice.currency),
        due=ctx.date(invoice.due_date) if invoice.due_date else "—",
    )
    document = Document(
        path=path,
        filename=Path(invoice.file_path).name,
        caption=caption,
        sha256=invoice.sha256,
        invoice_id=invoice.id,
    )
    buttons = ((Button(_("All invoices"), Action.INVOICE_LIST), Button(_("Menu"), Action.MENU)),)
    if documents.kept_from_chat(ctx):  # HELPDESK_TELEGRAM_DOCUMENTS: by e-mail, or in the portal
        title = _("Invoice for {period}").format(period=_period_name(ctx, invoice.period))
        return await documents.elsewhere(ctx, document, title, intent=intent, buttons=buttons)
    return ctx.reply(
        _("Here is your invoice.") + "\n" + caption,
        intent=intent,
        documents=(document,),
        buttons=buttons,
        personal_data=True,
    )


async def latest(ctx: Context) -> Reply:
    refusal = await _guard(ctx, Action.INVOICE)
    if refusal:
        return refusal
    assert ctx.resident_id
    free_text = bool(ctx.inquiry.text.strip())  # it may name a period: "rēķins par oktobri", "2026-10"
    # One read: the newest invoice first, and for free text the periods to read a month against.
    recent = await invoices.recent_for(await ctx.connection(), ctx.resident_id, limit=24 if free_text else 1)
    if not recent:
        return ctx.reply(
            ctx._("There are no invoices on your account yet."),
            intent=Action.INVOICE,
            buttons=menu_buttons(ctx),
        )
    period = period_in_text(ctx.inquiry.text, [row.period for row in recent]) if free_text else None
    if period:
        newest = next((row for row in recent if row.period == period), None)
        if newest is not None:  # the newest of that period, as _by_period would find it
            return await _send(ctx, newest, Action.INVOICE_PERIOD)
        return await _by_period(ctx, period)  # older than the ones read, or none
    return await _send(ctx, recent[0], Action.INVOICE)


async def offer(ctx: Context) -> Button | None:
    """The button that sends a linked resident the invoice their message asks after ("kur ir mans
    oktobra rēķins?"): the month it names when that invoice is theirs, else the latest; None for a
    chat linked to no one or an account without invoices."""
    if not ctx.resident_id:
        return None
    recent = await invoices.recent_for(await ctx.connection(), ctx.resident_id, limit=24)
    if not recent:
        return None
    periods = [row.period for row in recent]
    period = period_in_text(ctx.inquiry.text, periods)
    if period not in periods:  # none named, or one not (yet) on the account: the latest
        return Button(ctx._("Latest invoice"), Action.INVOICE)
    title = ctx._("Invoice for {period}").format(period=_period_name(ctx, period))
    return Button(title, Action.INVOICE_PERIOD, {"period": period})


async def _not_found(ctx: Context) -> Reply:
    return ctx.reply(
        ctx._("I could not find that invoice on your account. Please pick one from the list."),
        ReplyKind.REFUSAL,
        intent=Action.INVOICE_PERIOD,
        buttons=((Button(ctx._("All invoices"), Action.INVOICE_LIST),),),
    )


async def _by_period(ctx: Context, period: str) -> Reply:
    assert ctx.resident_id
    return await _send_found(ctx, await invoices.for_period(ctx.session, ctx.resident_id, period))


async def _send_found(ctx: Context, invoice: Invoice | None) -> Reply:
    """The invoice a resident picked (by period or by id), or "not found" when it is not theirs."""
    if invoice is None:
        return await _not_found(ctx)
    return await _send(ctx, InvoiceFile.of(invoice), Action.INVOICE_PERIOD)


async def by_period(ctx: Context) -> Reply:
    refusal = await _guard(ctx, Action.INVOICE_PERIOD)
    if refusal:
        return refusal
    assert ctx.resident_id
    args = ctx.inquiry.args
    period = args.get("period", "").strip()
    invoice_id = args.get("invoice_id", args.get("id", "")).strip()
    if period and _PERIOD.fullmatch(period):
        return await _by_period(ctx, period)
    if period and not invoice_id:
        invoice_id = period  # the contract allows an invoice id in "period"
    if not invoice_id or not _IDENTIFIER.fullmatch(invoice_id):
        return await _not_found(ctx)
    return await _send_found(ctx, await invoices.get_for_resident(ctx.session, ctx.resident_id, invoice_id))


async def listing(ctx: Context) -> Reply:
    refusal = await _guard(ctx, Action.INVOICE_LIST)
    if refusal:
        return refusal
    assert ctx.resident_id
    rows = await invoices.list_for(ctx.session, ctx.resident_id, limit=12)
    if not rows:
        return ctx.reply(
            ctx._("There are no invoices on your account yet."),
            intent=Action.INVOICE_LIST,
            buttons=menu_buttons(ctx),
        )
    buttons = tuple(
        (
            Button(
                f"{row.period} · {ctx.money(row.amount, row.currency)}",
                Action.INVOICE_PERIOD,
                {"period": row.period},
            ),
        )
        for row in rows
    )
    return ctx.reply(
        ctx._("Which invoice would you like? Pick a period."),
        ReplyKind.QUESTION,
        intent=Action.INVOICE_LIST,
        buttons=buttons,
        personal_data=True,
    )
