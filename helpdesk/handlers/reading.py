"""A typed message read whole, the way a person reads it, and one reply to all of it.

The matcher's :class:`~helpdesk.core.matching.Reading` says what the message is (thanks and
goodbye, a bare greeting, small talk, or up to three questions and requests) and in which language
its own words are. One reply then answers every part the matcher is sure of, one after the other: a
knowledge-base answer, or the action an ``action:*`` part names (the invoice list for "all my
invoices"); a part it is unsure between two entries asks which one, with buttons; and every part a
person must answer goes to a person in one queue item, the reply quoting which part that is.

The reply is in the language of the question's own words, not of a greeting, a name or an address
in the signature. It does not switch the conversation's language: that is the resident's choice (the
language button, the resident's record, the Telegram app), and the next question is read in its own
words again. The buttons of this reply and the line it waits for are answered in its language too
(the conversation state keeps it).

A state-changing action (news consent given or withdrawn, a data access or correction request) runs
only as the message's first answer; the reader answers it nowhere else, and should a later part name
one anyway, it is offered as a button instead: a misread second sentence must not change anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace

from helpdesk.core.matching import (
    Decision,
    MessageKind,
    Part,
    Reading,
    action_for,
    read_message,
    reads_whole,
)
from helpdesk.core.types import Action, Button, Channel, Reply, ReplyKind
from helpdesk.handlers import escalate, faq, joining, menu, smalltalk
from helpdesk.handlers.common import action_title
from helpdesk.handlers.context import Context
from helpdesk.i18n import LANGUAGES
from helpdesk.knowledge.progress import asks_after_own_request

#: Runs one action for the context (the dispatcher's routes).
Run = Callable[[Context, Action], Awaitable[Reply]]

#: Actions that change what we store or send; free text runs one only as the message's first answer.
STATE_CHANGING = frozenset(
    {Action.CONSENT_WITHDRAW, Action.CONSENT_GIVE, Action.ACCESS_REQUEST, Action.CORRECTION_REQUEST}
)
#: When one reply holds several, the one that needs the resident's choice names the reply's kind.
_KIND_ORDER = (ReplyKind.QUESTION, ReplyKind.ESCALATED, ReplyKind.ERROR, ReplyKind.REFUSAL)


def read(ctx: Context) -> Reading:
    """The typed message read whole; the reply will be in the language of its own words."""
    reading = peek(ctx)
    if reading.language in LANGUAGES:
        ctx.language = reading.language
    return reading


def peek(ctx: Context) -> Reading:
    """The typed message read whole, the reply's language left alone: for a line a reply waits for
    (a name, a street, "Līga Ozola, Brīvības iela 5" is no language), read only to see whether it is
    a goodbye or a new intent."""
    return read_message(ctx.services.matcher, ctx.inquiry.text, ctx.language)


def _knows_nothing(ctx: Context, reading: Reading) -> bool:
    """A message in which no word is the knowledge base's (a bare greeting, "mans kaķis ir slims"):
    nothing to answer, and nothing that looks like the helpdesk's business. Only a reader of whole
    messages says so; a stand-in matcher's "not sure" stays a question for a person."""
    if len(reading.parts) != 1:
        return False
    part = reading.parts[0]
    nothing = part.decision is Decision.ESCALATE and part.score == 0.0 and not part.candidates
    return nothing and reads_whole(ctx.services.matcher)


async def answer(ctx: Context, run: Run) -> Reply:
    """One reply to the whole typed message (see the module's docstring)."""
    reading = read(ctx)
    text = ctx.inquiry.text
    if asks_after_own_request(text) and await joining.item_for(ctx, text) is not None:
        # "Any news on my question?" is about the open item, whatever else its words match.
        return await escalate.escalate(ctx, reason="asked after an open item")
    if reading.kind is MessageKind.CLOSING:
        return smalltalk.closing(ctx)
    if reading.kind is MessageKind.GREETING and ctx.channel is not Channel.EMAIL:
        # "Labdien!" alone: the question comes next. What the helpdesk can do, not that it can
        # only help with the portal, as to small talk.
        return await menu.menu(ctx)
    if reading.kind is MessageKind.GREETING:
        return await escalate.escalate(ctx, reason="out of scope")  # a mail of "Labdien," alone
    if reading.kind is MessageKind.SMALLTALK or _knows_nothing(ctx, reading):
        if ctx.channel is Channel.EMAIL:
            return await escalate.escalate(ctx, reason="out of scope")
        return smalltalk.out_of_scope(ctx)
    if len(reading.parts) == 1:
        return await _one(ctx, reading.parts[0], run)
    return await _several(ctx, reading.parts, run)


async def _one(ctx: Context, part: Part, run: Run) -> Reply:
    """A message with one question: its answer, the action (on the message as typed), which one
    did you mean, or a person."""
    if part.decision is Decision.ANSWER and part.entry:
        if part.entry.startswith("action:"):
            action = action_for(part.entry)
            if action is None:
                return await escalate.escalate(ctx, reason="unknown action")
            return await run(ctx, action)
        return await faq.answer(ctx, part.entry)
    if part.decision is Decision.CLARIFY and part.candidates:
        return await faq.clarify(ctx, part.candidates, part.elsewhere)
    return await escalate.escalate(ctx)


async def _several(ctx: Context, parts: Sequence[Part], run: Run) -> Reply:
    """Every part answered in the order written, the questions and the person's part last."""
    sections: list[Reply] = []
    choices: list[Reply] = []
    for_person: list[str] = []
    whole = False  # a part asks for a person: the whole message goes to one
    answered = False
    for part in parts:
        if part.decision is Decision.CLARIFY and part.candidates:
            rows = faq.candidate_rows(ctx, part.candidates)
            if rows:
                choices.append(_ask_about(ctx, part, rows))
            else:
                for_person.append(part.text)
            continue
        if part.decision is not Decision.ANSWER or not part.entry:
            for_person.append(part.text)
            continue
        first, answered = not answered, True
        if not part.entry.startswith("action:"):
            text = faq.section(ctx, part.entry)
            if text is None:
                for_person.append(part.text)
            else:
                offered = await faq.offers(ctx, part.entry)
                sections.append(ctx.reply(text, intent=f"faq:{part.entry}", buttons=offered))
            continue
        action = action_for(part.entry)
        if action is None:
            for_person.append(part.text)
        elif action is Action.HUMAN:
            whole = True
        elif action in STATE_CHANGING and not first:
            choices.append(_ask_about(ctx, part, ((Button(action_title(ctx, action), action),),)))
        else:
            sections.append(await _run_on(ctx, part, action, run))
    sections += choices
    if whole or for_person:
        reason = "asked for a person" if whole else "unanswered"
        sections.append(await escalate.escalate(ctx, reason=reason, parts=() if whole else for_person))
        return _together(ctx, sections, ())
    ctx.pass_on = True  # nothing went to a person: "ask a person" passes the message on
    return _together(ctx, sections, faq.did_not_help(ctx))


def _ask_about(ctx: Context, part: Part, rows: faq.Rows) -> Reply:
    text = ctx._("About {quote}: did you mean one of these?").format(quote=escalate.quote(ctx, [part.text]))
    if part.elsewhere:  # another company's news or records: ours only in case they were meant
        text = f"{faq.elsewhere_note(ctx)} {text}"
    return ctx.reply(text, ReplyKind.QUESTION, intent="clarify", buttons=rows)


async def _run_on(ctx: Context, part: Part, action: Action, run: Run) -> Reply:
    """The action, given its own part of the message as the text (a period to send, what to
    correct), not the other questions around it."""
    inquiry = ctx.inquiry
    ctx.inquiry = replace(inquiry, text=part.text)
    try:
        return await run(ctx, action)
    finally:
        ctx.inquiry = inquiry


def _together(ctx: Context, sections: Sequence[Reply], last_rows: faq.Rows) -> Reply:
    """The sections as one reply: texts in order (a text said twice, once), every button once (and
    ``last_rows`` under them), every document, and the queue item the exchange is about."""
    texts = list(dict.fromkeys(section.text for section in sections if section.text))
    rows: list[tuple[Button, ...]] = []
    seen: set[tuple[Action, tuple[tuple[str, str], ...]]] = set()
    for row in [r for section in sections for r in section.buttons] + list(last_rows):
        fresh = tuple(b for b in row if (b.action, tuple(sorted(b.args.items()))) not in seen)
        seen.update((b.action, tuple(sorted(b.args.items()))) for b in fresh)
        if fresh:
            rows.append(fresh)
    kinds = {section.kind for section in sections}
    waiting = next((section for section in sections if section.awaiting is not None), None)
    # The item the exchange's messages name: the one a wait is for, else the one a person answers.
    owners = [section for section in sections if section.request_id is not None]
    owners.sort(key=lambda s: (s is not waiting, s.kind is not ReplyKind.ESCALATED))
    return ctx.reply(
        "\n\n".join(texts),
        next((kind for kind in _KIND_ORDER if kind in kinds), ReplyKind.ANSWER),
        intent="+".join(dict.fromkeys(section.intent for section in sections if section.intent))[:64],
        buttons=tuple(rows),
        documents=tuple(document for section in sections for document in section.documents),
        request_id=owners[0].request_id if owners else None,
        personal_data=any(section.personal_data for section in sections),
        awaiting=waiting.awaiting if waiting is not None else None,
        extra={key: value for section in sections for key, value in section.extra.items()},
    )
