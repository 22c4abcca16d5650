"""``helpdesk kb add-from-request``: an agent's good answer to an escalated question becomes a KB
entry in the operator's directory, so the next resident who asks gets it at once."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from helpdesk.core.errors import InputError
from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.model import LANGUAGES

_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")
MAX_PHRASING = 300
MAX_TITLE = 80


def entry_yaml(*, entry_id: str, language: str, title: str, body: str, question: str, origin: str) -> str:
    """The YAML text of a one-language entry (a list with one item, as every KB file is)."""
    entry = {
        "id": entry_id,
        language: {"title": title, "body": body, "phrasings": [question]},
    }
    header = f"# {origin}. Add the other languages ({', '.join(LANGUAGES)}) and more phrasings by hand.\n"
    return header + yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=100)


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


async def add_from_request(
    kb_extra_dir: Path,
    database_url: str,
    *,
    request_id: int,
    entry_id: str,
    title: str | None = None,
    answer: str | None = None,
) -> Path:
    """Write ``<kb_extra_dir>/<entry_id>.yaml`` (``HELPDESK_KB_EXTRA_DIR``); the answer is ``answer``
    or the agent's last reply to the queue item, read from ``database_url``."""
    from helpdesk.storage.engine import create_engine, create_session_factory
    from helpdesk.storage.models.requests import RequestKind
    from helpdesk.storage.repositories import conversations, requests

    if not _ID.fullmatch(entry_id):
        raise InputError(f"{entry_id!r}: an id is 2-63 lower-case letters, digits and '-'")
    knowledge, _problems = read_knowledge(knowledge_dirs(kb_extra_dir))
    if any(entry.id == entry_id for entry in knowledge.entries):
        raise InputError(f"the knowledge base already has an entry {entry_id!r}")
    target = kb_extra_dir / f"{entry_id}.yaml"
    if target.exists():
        raise InputError(f"{target} already exists")
    engine = create_engine(database_url)
    try:
        async with create_session_factory(engine)() as session:
            item = await requests.get(session, request_id)
            if item is None:
                raise InputError(f"no queue item #{request_id}")
            if item.kind != str(RequestKind.QUESTION):
                raise InputError(f"queue item #{request_id} is a {item.kind} request, not a question")
            if answer is None and item.conversation_id is not None:
                replies = [
                    message.text
                    for message in await conversations.messages(session, item.conversation_id)
                    if message.direction == "out"
                    and message.author.startswith("agent")
                    and message.created_at >= item.received_at
                ]
                answer = replies[-1] if replies else None
            question, language = item.summary, item.language
    finally:
        await engine.dispose()
    if not answer or not answer.strip():
        raise InputError(f"queue item #{request_id} has no agent answer yet; give one with --answer-file")
    if not question.strip():
        raise InputError(f"queue item #{request_id} has no question text")
    text = entry_yaml(
        entry_id=entry_id,
        language=language if language in LANGUAGES else "lv",
        title=_one_line(title or question, MAX_TITLE),
        body=answer.strip(),
        question=_one_line(question, MAX_PHRASING),
        origin=f"From queue item #{request_id}",
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:
        handle.write(text)
    return target
