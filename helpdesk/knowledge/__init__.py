"""The knowledge base (``data/*.yaml`` plus the operator's ``HELPDESK_KB_EXTRA_DIR``) and the
matcher that maps a resident's text to an entry or an action intent.

Reading the files (:mod:`.files`, :mod:`.model`), the text rules (:mod:`.text`, :mod:`.translit`,
:mod:`.language`), the index and its scoring (:mod:`.index`), reading a message into its questions
(:mod:`.reading`, :mod:`.parts`), near misses and operations named (:mod:`.scope`,
:mod:`.operations`), how sure an answer is (:mod:`.confidence`), the matcher over them all
(:mod:`.matcher`), and what ``helpdesk kb`` and the console add (:mod:`.report`, :mod:`.misses`,
:mod:`.authoring`).

Imports stay light (YAML, rapidfuzz, snowballstemmer): ``helpdesk kb`` commands must start fast.

May import: services, storage, settings, i18n, core. Never: handlers, casework, a channel, jobs,
app, the CLI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpdesk.core.errors import ConfigurationError
from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.matcher import KnowledgeMatcher

if TYPE_CHECKING:
    from helpdesk.settings import KnowledgeSettings

__all__ = ["KnowledgeMatcher", "decision_rule", "load_matcher"]


def decision_rule(settings: KnowledgeSettings) -> tuple[float, float]:
    """(answer threshold, margin) from the settings, whose defaults are the values calibrated on
    tests/kb_eval (``matcher.ANSWER_THRESHOLD``/``MARGIN``; a test keeps the two equal)."""
    return settings.kb_answer_threshold, settings.kb_margin


def load_matcher(settings: KnowledgeSettings, default_language: str) -> KnowledgeMatcher:
    """Read and check every KB file; a broken file stops startup (``helpdesk kb check`` says where).
    ``default_language`` (``HELPDESK_DEFAULT_LANGUAGE``, a conversation rule) is the language of a
    text too short to tell."""
    knowledge, problems = read_knowledge(knowledge_dirs(settings.kb_extra_dir))
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        more = f" (and {len(errors) - 1} more; run `helpdesk kb check`)" if len(errors) > 1 else ""
        raise ConfigurationError(f"knowledge base: {errors[0]}{more}")
    threshold, margin = decision_rule(settings)
    return KnowledgeMatcher(
        knowledge,
        threshold=threshold,
        margin=margin,
        default_language=default_language,
    )
