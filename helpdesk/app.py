"""The factory that builds a process's :class:`~helpdesk.services.Services`.

Nothing is built at import time, so tests and the demo can build as many instances as they need.
"""

from __future__ import annotations

from helpdesk.core.matching import IntentMatcher
from helpdesk.services import Services
from helpdesk.settings import Settings
from helpdesk.storage.engine import create_engine, create_session_factory


def load_matcher(settings: Settings) -> IntentMatcher:
    """The knowledge matcher, imported lazily: the knowledge package loads its YAML files."""
    from helpdesk.knowledge import load_matcher as load_knowledge

    matcher: IntentMatcher = load_knowledge(settings)
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
