"""Threading: which open queue item, if any, a message a person must answer is about.

A message joins an open item only when it is about that item; anything else starts its own path
(a new question of its own, a knowledge-base answer, an action). Joining an unrelated item hides the
new question inside an old one: its agent may answer only what the item was about, and the new
question's deadline is lost. A message is about an item when

- it is a mail in the item's thread (its References name the mail that started the item);
- in a chat, the item waits for the resident (an agent asked for identity proof or a missing
  detail), and this is most likely that answer (by e-mail, the answer comes in the item's thread:
  a new mail is a new subject);
- it asks the same question as an open question again (a resident who did not see an answer yet);
- it asks how the resident's own request is getting on ("есть новости по моему вопросу?"): the
  newest open item is the one asked after (:mod:`helpdesk.knowledge.progress`);
- the conversation state says the last reply handed that item to a person moments ago
  (:data:`FOLLOW_UP`): a question typed in two or three messages is one question.

Details the conversation state waits for (what to correct in a request) never come here: the
dispatcher sends them to their request (:func:`helpdesk.handlers.requests.add_details`). Thanks and
goodbye, small talk and "I want to talk to a person" with nothing else are read before this and
join nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from helpdesk.core.text import fold
from helpdesk.core.types import Channel
from helpdesk.handlers.context import Context
from helpdesk.knowledge.progress import asks_after_own_request
from helpdesk.storage.models.requests import RequestKind, RequestStatus, SupportRequest
from helpdesk.storage.repositories import requests

#: token_sort_ratio (0-100) of the folded texts from which a message asks an open question again:
#: the same words in any order with a typo or two, not merely the same subject.
SAME_QUESTION = 85.0
#: Fewer words than this are too few to say two questions are the same ("kāpēc?", "un?").
_FEWEST_WORDS = 3
#: How long after a reply handed an item to a person the next message a person must answer is taken
#: for more of it: the rest of a question typed in several chat messages, not tomorrow's question.
FOLLOW_UP = timedelta(minutes=15)


def thread_of(ctx: Context) -> str | None:
    """The thread an e-mail replies in (the first Message-ID of its References), when it is a reply."""
    key = ctx.inquiry.thread_key
    return key if key and key != ctx.inquiry.message_id else None


def same_question(text: str, asked: str) -> bool:
    """Whether ``text`` asks ``asked`` (or one line of it: a summary of several parts) again."""
    folded = default_process(fold(text))
    if len(folded.split()) < _FEWEST_WORDS:
        return False
    lines = [asked, *asked.splitlines()] if "\n" in asked else [asked]
    return any(
        fuzz.token_sort_ratio(folded, default_process(fold(line))) >= SAME_QUESTION
        for line in lines
        if line.strip()
    )


def _reason(
    item: SupportRequest, text: str, thread: str | None, follows: int | None, by_mail: bool
) -> int | None:
    """Why ``text`` is about ``item``, as a rank (the lower, the surer); None: it is not."""
    if thread is not None and item.external_ref == thread[:300]:
        return 0
    if item.status == RequestStatus.WAITING and not by_mail:
        return 1
    if item.id == follows:
        return 2
    if item.kind == RequestKind.QUESTION and same_question(text, item.summary):
        return 3
    if asks_after_own_request(text):
        return 4  # the newest such item wins: items come newest first
    return None


def choose(
    items: Iterable[SupportRequest],
    text: str,
    *,
    thread: str | None = None,
    follows: int | None = None,
    by_mail: bool = False,
) -> SupportRequest | None:
    """The item ``text`` is about, of this person's open ones (newest first): the mail thread's
    item, else one waiting for the resident, else the one just handed over (``follows``), else
    the same question asked again, else the newest one when ``text`` asks how it is getting on."""
    ranked = [
        (rank, item) for item in items if (rank := _reason(item, text, thread, follows, by_mail)) is not None
    ]
    return min(ranked, key=lambda pair: pair[0], default=(None, None))[1]


async def item_for(ctx: Context, text: str, *, follow: bool = True) -> SupportRequest | None:
    """The open item of this person, on this channel, that ``text`` is about; None: a path of its own.
    ``follow=False``: not the item the last reply handed over merely because it was just now."""
    items = await requests.open_of(
        ctx.session,
        resident_id=ctx.resident_id,
        contact=ctx.inquiry.reply_to or ctx.inquiry.sender,
        channel=str(ctx.channel),
    )
    state = ctx.state
    recent = follow and state.follows_until is not None and ctx.now < state.follows_until
    follows = state.follows if recent else None
    return choose(items, text, thread=thread_of(ctx), follows=follows, by_mail=ctx.channel is Channel.EMAIL)
