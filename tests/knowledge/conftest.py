"""The CLI tests reuse ``cli_env`` (clean working directory, settings pointing at the test database);
``matcher`` is the shipped knowledge base with the shipped decision rule."""

import pytest

from helpdesk.core.matching import Decision
from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, MARGIN, KnowledgeMatcher
from tests.cli.conftest import cli_env

__all__ = ["answered", "cli_env"]


@pytest.fixture(scope="module")
def matcher() -> KnowledgeMatcher:
    knowledge, problems = read_knowledge(knowledge_dirs(None))
    assert not problems
    return KnowledgeMatcher(knowledge, threshold=ANSWER_THRESHOLD, margin=MARGIN)


def answered(matcher: KnowledgeMatcher, text: str) -> list[str | None]:
    """The entries a reading of ``text`` answers."""
    return [part.entry for part in matcher.read(text).parts if part.decision is Decision.ANSWER]
