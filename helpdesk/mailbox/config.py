"""What the mailbox component reads of the settings, handed over by :mod:`helpdesk.app`.

Its own two groups, and one value of the console's group: the List-Unsubscribe link of a news
mail opens a page of the console, so the mailbox must know the console's public URL. The groups
every layer shares (storage, the secret key, the conversation rules) come with ``Services``.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.settings import MailboxSettings, SmtpSettings


@dataclass(frozen=True, slots=True)
class MailConfig:
    inbound: MailboxSettings
    outbound: SmtpSettings
    console_public_url: str | None = None
