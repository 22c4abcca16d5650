"""The CLI tests reuse ``cli_env`` (clean working directory, settings pointing at the test database);
the matcher tests share one ``matcher``: the shipped entries with the shipped decision rule (no
operator directory, no overrides), built once per session (it is only read)."""

import pytest

from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, MARGIN, KnowledgeMatcher
from tests.cli.conftest import cli_env

__all__ = ["cli_env"]


@pytest.fixture(scope="session")
def matcher() -> KnowledgeMatcher:
    knowledge, problems = read_knowledge(knowledge_dirs(None))
    assert not problems
    return KnowledgeMatcher(knowledge, threshold=ANSWER_THRESHOLD, margin=MARGIN)
