"""All models, imported here so that Alembic and the repositories see one metadata.

A new area adds a module and one import line below.
"""

from helpdesk.storage.models.agents import Agent, ApiKey
from helpdesk.storage.models.base import Base, UTCDateTime, utcnow
from helpdesk.storage.models.consent import ConfirmationCode, ConsentEvent
from helpdesk.storage.models.console import RequestExport, RequestNote
from helpdesk.storage.models.conversations import Conversation, Message
from helpdesk.storage.models.delivery import InboundMail, MailState, OutboxMessage
from helpdesk.storage.models.invoices import Invoice
from helpdesk.storage.models.ops import MetricCounter
from helpdesk.storage.models.requests import (
    AuditEvent,
    IdentityState,
    RequestKind,
    RequestStatus,
    SupportRequest,
)
from helpdesk.storage.models.residents import LinkToken, Resident, TelegramLink
from helpdesk.storage.models.telegram import TelegramChatLanguage, TelegramFile

__all__ = [
    "Agent",
    "ApiKey",
    "AuditEvent",
    "Base",
    "ConfirmationCode",
    "ConsentEvent",
    "Conversation",
    "IdentityState",
    "InboundMail",
    "Invoice",
    "LinkToken",
    "MailState",
    "Message",
    "MetricCounter",
    "OutboxMessage",
    "RequestExport",
    "RequestKind",
    "RequestNote",
    "RequestStatus",
    "Resident",
    "SupportRequest",
    "TelegramChatLanguage",
    "TelegramFile",
    "TelegramLink",
    "UTCDateTime",
    "utcnow",
]
