"""Casework runs on the console's seeded database (both backends, fixed clock): the same residents,
agents and queue items, without the web layer in front."""

import pytest

from helpdesk.app import case_rules
from helpdesk.casework.context import CaseRules
from helpdesk.settings import Settings
from tests.console.conftest import matcher, seeded, settings

__all__ = ["matcher", "rules", "seeded", "settings"]


@pytest.fixture
def rules(settings: Settings) -> CaseRules:
    """What casework applies of the settings beyond Services, as the wiring hands it over."""
    return case_rules(settings)
