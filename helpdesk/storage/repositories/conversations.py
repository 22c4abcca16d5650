"""Conversations and messages. Text is redacted here, on the way in, so nothing unredacted is stored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import BigInteger, Insert, Table, Update, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.expression import ColumnElement, ScalarSelect

from helpdesk.core.conversation import ConversationState
from helpdesk.core.redaction import redact
from helpdesk.storage.models.base import UTCDateTime
from helpdesk.storage.models.conversations import Conversation, Message
from helpdesk.storage.models.residents import Resident, TelegramLink
from helpdesk.storage.models.telegram import TelegramChatLanguage
from helpdesk.storage.repositories.residents import KnownResident

# A new conversation starts after this much silence, so the console shows topics, not one endless log.
CONVERSATION_GAP = timedelta(hours=24)

# ---- the dispatcher's path: every inquiry runs these, so they are Core statements built once (their
# compiled form and cache key are reused) on the session's connection, without ORM objects to load,
# track and flush.
_CONVERSATIONS = cast(Table, Conversation.__table__)
_MESSAGES = cast(Table, Message.__table__)
_C = _CONVERSATIONS.c
_M = _MESSAGES.c
_NOW = bindparam("p_now", type_=UTCDateTime())

_R = cast(Table, Resident.__table__).c
_L = cast(Table, TelegramLink.__table__).c
_CHOSEN = cast(Table, TelegramChatLanguage.__table__).c
_TELEGRAM_USER = bindparam("p_telegram_user", type_=BigInteger())
#: Who a Telegram user is: the resident their link names. The one identity rule of the Telegram
#: channel, read in the dispatcher's first statement, so an update reads the resident once.
_LINKED = select(_L.resident_id).where(_L.telegram_user_id == _TELEGRAM_USER).scalar_subquery()
#: A Telegram user's language: the one they chose in the bot (before or after linking), else the one
#: on their link, else what their Telegram app says (``p_language``).
_TELEGRAM_LANGUAGE = func.coalesce(
    select(_CHOSEN.language).where(_CHOSEN.telegram_user_id == _TELEGRAM_USER).scalar_subquery(),
    select(_L.language).where(_L.telegram_user_id == _TELEGRAM_USER).scalar_subquery(),
    bindparam("p_language"),
)


def _ongoing(channel: Any, contact: Any, since: Any) -> ScalarSelect[Any]:
    """The id of the newest conversation with this contact on this channel that was not silent
    since ``since`` (now - CONVERSATION_GAP): the one rule of what "ongoing" means, for the
    dispatcher's prebuilt statement (bound parameters) and for :func:`open_for` (values)."""
    return (
        select(_C.id)
        .where(_C.channel == channel, _C.contact == contact, _C.last_message_at > since)
        .order_by(_C.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _reading(claimed: ColumnElement[Any], language: ColumnElement[Any]) -> tuple[Update, Insert]:
    """The dispatcher's two statements for one way of knowing who writes (``claimed``: a resident
    id, maybe of nobody) and in which language.

    Continue the ongoing conversation: one UPDATE finds it, stamps it, sets the language and (when
    the inquiry is from an existing resident) the resident, and returns the conversation, its state
    and language, and what the handlers need of that resident (so checking that the resident exists
    costs nothing). When there is none, one INSERT starts it and returns the same.
    """

    def of_claimed(column: ColumnElement[Any]) -> ScalarSelect[Any]:
        return select(column).where(_R.id == claimed).scalar_subquery()

    returned = (
        _C.id,
        _C.resident_id,
        _C.language,
        _C.state,
        of_claimed(_R.id),
        of_claimed(_R.invoice_email),
        of_claimed(_R.news_email),
    )
    since = bindparam("p_since", type_=UTCDateTime())
    continuing = (
        update(_CONVERSATIONS)
        .where(_C.id == _ongoing(bindparam("p_channel"), bindparam("p_contact"), since))
        .values(
            last_message_at=_NOW,
            language=language,
            resident_id=func.coalesce(of_claimed(_R.id), _C.resident_id),
        )
        .returning(*returned)
    )
    starting = (
        insert(_CONVERSATIONS)
        .values(
            channel=bindparam("p_channel"),
            contact=bindparam("p_contact"),
            resident_id=of_claimed(_R.id),
            language=language,
            started_at=_NOW,
            last_message_at=_NOW,
        )
        .returning(*returned)
    )
    return continuing, starting


#: Built once each (this runs for every inquiry): the channel proved the resident (or nobody), or
#: a Telegram user's link says who it is.
_PROVED = _reading(bindparam("p_resident_id", type_=_R.id.type), bindparam("p_language"))
_TELEGRAM = _reading(_LINKED, _TELEGRAM_LANGUAGE)
#: After the reply: the state it leaves, the language it was in, the resident it may have just linked.
_SAVE = (
    update(_CONVERSATIONS)
    .where(_C.id == bindparam("p_id"))
    .values(
        state=bindparam("p_state", type_=_C.state.type),
        language=func.coalesce(bindparam("p_language", type_=_C.language.type), _C.language),
        resident_id=func.coalesce(bindparam("p_resident_id", type_=_C.resident_id.type), _C.resident_id),
    )
)


#: One message; the dispatcher passes the inquiry's and the reply's rows together (an executemany,
#: in this order, so the ids follow it). A multi-row VALUES statement would be compiled again on
#: every call: SQLAlchemy does not cache those.
_MESSAGE = insert(_MESSAGES).values(
    conversation_id=bindparam("p_conversation_id", type_=_M.conversation_id.type),
    direction=bindparam("p_direction", type_=_M.direction.type),
    author=bindparam("p_author", type_=_M.author.type),
    text=bindparam("p_text", type_=_M.text.type),
    intent=bindparam("p_intent", type_=_M.intent.type),
    external_id=bindparam("p_external_id", type_=_M.external_id.type),
    request_id=bindparam("p_request_id", type_=_M.request_id.type),
    created_at=_NOW,
)


@dataclass(frozen=True, slots=True)
class OpenConversation:
    id: int
    resident_id: str | None
    #: The resident the inquiry is from, if that resident exists (a stale link after deletion is nobody).
    resident: KnownResident | None = None
    #: What the next line answers and the choices last offered; ``state.language`` is the
    #: conversation's language (the person's choice in the bot wins over the channel's).
    state: ConversationState = field(default_factory=ConversationState)


async def continue_or_start(
    connection: AsyncConnection,
    *,
    channel: str,
    contact: str,
    resident_id: str | None,
    language: str,
    now: datetime,
    telegram_user_id: int | None = None,
) -> OpenConversation:
    """:func:`open_for` for the dispatcher, already stamped with ``now``: the ongoing conversation
    (its language set, its resident set when the inquiry is from an existing resident) or a new one.

    The inquiry is from ``resident_id`` (the resident the channel proved), or, given
    ``telegram_user_id``, from the resident that Telegram user is linked to (``resident_id`` is then
    not used); ``resident`` is None when that names nobody. One statement when the conversation goes
    on, two when it starts.
    """
    params: dict[str, Any] = {
        "p_channel": channel,
        "p_contact": contact,
        "p_since": now - CONVERSATION_GAP,
        "p_now": now,
        "p_language": language,
    }
    if telegram_user_id is None:
        continuing, starting = _PROVED
        params["p_resident_id"] = resident_id
    else:
        continuing, starting = _TELEGRAM
        params["p_telegram_user"] = telegram_user_id
    row = (await connection.execute(continuing, params)).first()
    if row is None:
        row = (await connection.execute(starting, params)).one()
    known = None if row[4] is None else KnownResident(id=row[4], invoice_email=row[5], news_email=row[6])
    return OpenConversation(
        id=row[0], resident_id=row[1], resident=known, state=ConversationState.from_json(row[3], row[2])
    )


async def record_exchange(
    connection: AsyncConnection,
    conversation: OpenConversation,
    *,
    inbound: str,
    inbound_intent: str,
    external_id: str | None,
    outbound: str,
    outbound_intent: str,
    now: datetime,
    resident_id: str | None = None,
    request_id: int | None = None,
    state: ConversationState | None = None,
) -> None:
    """The resident's message and the bot's reply, redacted, in one round trip; ``request_id`` is the
    queue item the exchange opened or joined (both messages carry it). ``resident_id`` (the resident
    a reply just linked) and the ``state`` the reply leaves are written to the conversation only when
    they change it (one statement more then)."""
    new_resident = resident_id if resident_id and resident_id != conversation.resident_id else None
    if (state is not None and state != conversation.state) or new_resident is not None:
        saved = conversation.state if state is None else state
        await connection.execute(
            _SAVE,
            {
                "p_id": conversation.id,
                "p_state": saved.to_json(),
                "p_language": saved.language,
                "p_resident_id": new_resident,
            },
        )
    await connection.execute(
        _MESSAGE,
        [
            {
                "p_conversation_id": conversation.id,
                "p_direction": "in",
                "p_author": "resident",
                "p_text": redact(inbound),
                "p_intent": inbound_intent[:64],
                "p_external_id": external_id[:300] if external_id else None,
                "p_request_id": request_id,
                "p_now": now,
            },
            {
                "p_conversation_id": conversation.id,
                "p_direction": "out",
                "p_author": "bot",
                "p_text": redact(outbound),
                "p_intent": outbound_intent[:64],
                "p_external_id": None,
                "p_request_id": request_id,
                "p_now": now,
            },
        ],
    )


async def open_for(
    session: AsyncSession,
    *,
    channel: str,
    contact: str,
    resident_id: str | None,
    language: str,
    now: datetime,
) -> Conversation:
    """The ongoing conversation with this contact on this channel, or a new one.

    Only a new conversation is flushed (its id is needed for the messages); changes to an existing
    one are written by the caller's commit, in the same round trip as the messages.
    """
    conversation = await session.scalar(
        select(Conversation).where(Conversation.id == _ongoing(channel, contact, now - CONVERSATION_GAP))
    )
    if conversation is None:
        conversation = Conversation(
            channel=channel, contact=contact, started_at=now, last_message_at=now, language=language
        )
        session.add(conversation)
    if resident_id is not None and conversation.resident_id != resident_id:
        conversation.resident_id = resident_id
    if conversation.language != language:
        conversation.language = language
    if conversation.id is None:
        await session.flush()
    return conversation


async def add_message(
    session: AsyncSession,
    conversation: Conversation,
    *,
    direction: str,
    author: str,
    text: str,
    now: datetime,
    intent: str = "",
    external_id: str | None = None,
    flush: bool = True,
    request_id: int | None = None,
) -> Message:
    """Store one redacted message. ``flush=False`` leaves the INSERT to the caller's commit, where
    SQLAlchemy batches it with the others (the dispatcher writes two messages per inquiry)."""
    if direction not in ("in", "out"):
        raise ValueError("direction is 'in' or 'out'")
    message = Message(
        conversation_id=conversation.id,
        direction=direction,
        author=author,
        text=redact(text),
        intent=intent[:64],
        external_id=external_id[:300] if external_id else None,
        request_id=request_id,
        created_at=now,
    )
    session.add(message)
    if conversation.last_message_at != now:
        conversation.last_message_at = now
    if flush:
        await session.flush()
    return message


async def get(session: AsyncSession, conversation_id: int) -> Conversation | None:
    return await session.get(Conversation, conversation_id)


async def messages_of_request(session: AsyncSession, request_id: int) -> Sequence[Message]:
    """The messages that opened or joined the queue item, and the agents' replies to it, in the
    order they were stored (they may span several conversations)."""
    rows = await session.scalars(select(Message).where(Message.request_id == request_id).order_by(Message.id))
    return rows.all()


async def messages(session: AsyncSession, conversation_id: int) -> Sequence[Message]:
    rows = await session.scalars(
        select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
    )
    return rows.all()


async def last_resident_text(session: AsyncSession, conversation_id: int) -> str | None:
    """The resident's latest typed message (already redacted), skipping button presses, which are
    stored as ``[action ...]`` markers. An escalation from a button ("ask a person") quotes it so
    the agent sees what the question was."""
    rows = await session.scalars(
        select(Message.text)
        .where(
            Message.conversation_id == conversation_id,
            Message.direction == "in",
            Message.author == "resident",
        )
        .order_by(Message.id.desc())
        .limit(20)
    )
    for text in rows:
        if text and not text.startswith("["):
            return text
    return None


async def for_resident(session: AsyncSession, resident_id: str) -> Sequence[Conversation]:
    rows = await session.scalars(
        select(Conversation).where(Conversation.resident_id == resident_id).order_by(Conversation.id)
    )
    return rows.all()
