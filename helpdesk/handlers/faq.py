"""Portal questions answered from the knowledge base, through the narrow IntentMatcher interface."""

from __future__ import annotations

from helpdesk.core.matching import Match
from helpdesk.core.types import Action, Button, Reply, ReplyKind
from helpdesk.handlers import escalate
from helpdesk.handlers.common import action_title
from helpdesk.handlers.context import Context


async def answer(ctx: Context, entry: str | None = None) -> Reply:
    """The KB entry's answer in the resident's language; an unknown entry goes to a person."""
    entry = entry or ctx.inquiry.args.get("entry", "")
    found = ctx.services.matcher.answer(entry, ctx.language) if entry else None
    if found is None:
        return await escalate.escalate(ctx, reason="unknown kb entry")
    buttons = ((Button(ctx._("This did not help: ask a person"), Action.HUMAN),),)
    return ctx.reply(f"{found.title}\n\n{found.body}", intent=f"faq:{entry}"[:64], buttons=buttons)


def _candidate_button(ctx: Context, entry: str) -> Button | None:
    if entry.startswith("action:"):
        try:
            action = Action(entry)
        except ValueError:
            return None
        return Button(action_title(ctx, action), action)
    found = ctx.services.matcher.answer(entry, ctx.language)
    if found is None:
        return None
    return Button(found.title, Action.FAQ, {"entry": entry})


async def clarify(ctx: Context, match: Match) -> Reply:
    """Two candidates scored too close to choose: ask which one was meant, or offer a person."""
    rows: list[tuple[Button, ...]] = []
    for candidate in match.candidates[:4]:
        button = _candidate_button(ctx, candidate.entry)
        if button is not None:
            rows.append((button,))
    if not rows:
        return await escalate.escalate(ctx, reason="no usable candidates")
    rows.append((Button(ctx._("None of these: ask a person"), Action.HUMAN),))
    return ctx.reply(
        ctx._("I am not sure what you mean. Did you mean one of these?"),
        ReplyKind.QUESTION,
        intent="clarify",
        buttons=tuple(rows),
    )
