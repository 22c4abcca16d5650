"""The factory that builds a process's :class:`~helpdesk.core.services.Services`.

Nothing is built at import time, so tests and the demo can build as many instances as they need.
"""

from __future__ import annotations

import importlib

from helpdesk.core.errors import ConfigurationError
from helpdesk.core.matching import IntentMatcher
from helpdesk.core.services import Services
from helpdesk.settings import Settings
from helpdesk.storage.engine import create_engine, create_session_factory


def load_matcher(settings: Settings) -> IntentMatcher:
    """The knowledge matcher, imported lazily: the knowledge package loads its YAML files."""
    try:
        knowledge = importlib.import_module("helpdesk.knowledge")
        loader = knowledge.load_matcher
    except (ImportError, AttributeError) as exc:
        # Loud on purpose: without a matcher every question would be escalated, silently.
        raise ConfigurationError(f"the knowledge base could not be loaded: {exc}") from exc
    matcher: IntentMatcher = loader(settings)
    return matcher


def build_services(settings: Settings, *, matcher: IntentMatcher | None = None) -> Services:
    """Engine, session factory and matcher for one process. ``matcher`` lets tests inject a fake."""
    engine = create_engine(settings.database_url)
    return Services(
        settings=settings,
        engine=engine,
        sessions=create_session_factory(engine),
        matcher=matcher if matcher is not None else load_matcher(settings),
    )
