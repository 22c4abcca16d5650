"""Portal questions answered from the knowledge base, through the narrow IntentMatcher interface."""

from __future__ import annotations

import re
from collections.abc import Sequence

from helpdesk.core.matching import Candidate, action_for
from helpdesk.core.types import Action, Button, Reply, ReplyKind
from helpdesk.handlers import escalate, invoices
from helpdesk.handlers.common import action_title
from helpdesk.handlers.context import Context
from helpdesk.knowledge.model import INVOICE_HERE

Rows = tuple[tuple[Button, ...], ...]


# Where an answer says what this chat can send (``knowledge.model.CONVERSATION_FACTS``).
_INVOICE_HERE = "{" + INVOICE_HERE + "}"
_BEFORE_INVOICE_HERE = re.compile(r"\s*" + re.escape(_INVOICE_HERE))


def section(ctx: Context, entry: str) -> str | None:
    """The KB entry's answer in the resident's language (title and body); None for an unknown entry.
    A chat linked to a resident is offered the invoice with a button (:func:`offers`); one linked to
    no one is told that it could be sent here once the chat is linked."""
    found = ctx.services.matcher.answer(entry, ctx.language)
    if found is None:
        return None
    here = (
        ""
        if ctx.resident_id
        else " "
        + ctx._("If this chat is linked to your account, I can also send you the latest invoice here.")
    )
    body = _BEFORE_INVOICE_HERE.sub(lambda _: here, found.body)
    return f"{found.title}\n\n{body}"


async def offers(ctx: Context, entry: str) -> Rows:
    """Under an answer that says the invoice can be sent here, for a linked resident: the button that
    sends it (the month the message names, else the latest)."""
    found = ctx.services.matcher.answer(entry, ctx.language)
    if found is None or not ctx.resident_id or _INVOICE_HERE not in found.body:
        return ()
    button = await invoices.offer(ctx)
    return () if button is None else ((button,),)


async def _invoice_offered(ctx: Context, rows: Rows) -> Rows:
    """Rows with "the latest invoice" made the invoice the message names, for a linked resident
    ("где мой счёт за ноябрь?" between the missing-invoice article and the invoice itself)."""
    if not ctx.resident_id or not any(b.action is Action.INVOICE for row in rows for b in row):
        return rows
    button = await invoices.offer(ctx)
    if button is None:
        return rows
    return tuple(tuple(button if b.action is Action.INVOICE else b for b in row) for row in rows)


def did_not_help(ctx: Context) -> Rows:
    """Under a machine's answer: the one tap that passes the question on to a person."""
    return ((Button(ctx._("This did not help: ask a person"), Action.HUMAN),),)


async def answer(ctx: Context, entry: str | None = None) -> Reply:
    """The KB entry's answer in the resident's language; an unknown entry goes to a person."""
    entry = entry or ctx.inquiry.args.get("entry", "")
    text = section(ctx, entry) if entry else None
    if text is None:
        return await escalate.escalate(ctx, reason="unknown kb entry")
    ctx.pass_on = True
    return ctx.reply(text, intent=f"faq:{entry}"[:64], buttons=await offers(ctx, entry) + did_not_help(ctx))


def _candidate_button(ctx: Context, entry: str) -> Button | None:
    if entry.startswith("action:"):
        action = action_for(entry)
        return None if action is None else Button(action_title(ctx, action), action)
    found = ctx.services.matcher.answer(entry, ctx.language)
    if found is None:
        return None
    return Button(found.title, Action.FAQ, {"entry": entry})


def candidate_rows(ctx: Context, candidates: Sequence[Candidate]) -> Rows:
    """One button a row for each candidate that can be offered (at most four)."""
    buttons = (_candidate_button(ctx, candidate.entry) for candidate in candidates[:4])
    return tuple((button,) for button in buttons if button is not None)


def none_of_these(ctx: Context) -> Rows:
    return ((Button(ctx._("None of these: ask a person"), Action.HUMAN),),)


def elsewhere_note(ctx: Context) -> str:
    """Before our buttons, to a question about another company's news or records (``Part.elsewhere``):
    we cannot act on their list or data, so the resident asks them; ours are offered in case."""
    return ctx._(
        "I can only manage Klientiem.lv's own news e-mails and the data we hold. For another "
        "company's newsletter or data, please ask that company."
    )


async def clarify(ctx: Context, candidates: Sequence[Candidate], elsewhere: bool = False) -> Reply:
    """Two candidates scored too close to choose: ask which one was meant, or offer a person.
    ``elsewhere``: the question named another company's news or records, and these are ours."""
    rows = await _invoice_offered(ctx, candidate_rows(ctx, candidates))
    if not rows:
        return await escalate.escalate(ctx, reason="no usable candidates")
    ctx.pass_on = True
    asked = ctx._("I am not sure what you mean. Did you mean one of these?")
    if elsewhere:
        asked = f"{elsewhere_note(ctx)} {ctx._('If you meant ours:')}"
    return ctx.reply(
        asked,
        ReplyKind.QUESTION,
        intent="clarify",
        buttons=rows + none_of_these(ctx),
    )
