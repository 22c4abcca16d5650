"""What the console reads of the settings, handed over by :mod:`helpdesk.app`.

Its own group; the rules of the casework it runs (:class:`~helpdesk.casework.context.CaseRules`:
the claim lease, and the directory an agent's answer becomes a knowledge-base entry in); and the
bot's username, because the portal API mints Telegram deep links ``t.me/<bot>?start=<token>``.
The groups every layer shares (storage, the secret key, the conversation rules) come with
``Services``.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.casework.context import CaseRules
from helpdesk.settings import ConsoleSettings


@dataclass(frozen=True, slots=True)
class ConsoleConfig:
    settings: ConsoleSettings
    casework: CaseRules
    bot_username: str
