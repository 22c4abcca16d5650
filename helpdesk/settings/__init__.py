"""Settings from the environment and `.env`, prefix ``HELPDESK_``, grouped per component.

Every threshold, limit and retention period lives here with a default and a description;
``docs/settings.md`` is generated from them (``python -m helpdesk.settings.docs``). The names are
flat (``HELPDESK_IMAP_HOST``) and each belongs to one group (:mod:`.groups`, :mod:`.channels`):

| group | receives it |
|---|---|
| ``storage`` | every component, through ``Services.storage`` |
| ``security`` | handlers, casework, console, mailbox, through ``Services.security`` |
| ``conversation`` | handlers (and casework, channels, notices), through ``Services.conversation`` |
| ``telegram`` | the bot (runner, factory, webhook, sender) |
| ``mailbox`` | the mailbox's IMAP poller and mail rules |
| ``smtp`` | the mailbox's SMTP sender and compose |
| ``console`` | the console and the portal API |
| ``knowledge`` | the knowledge loader, ``helpdesk kb``, the console's KB authoring |
| ``jobs`` | the scheduled jobs and ``helpdesk purge`` |
| ``operations`` | logging |

The whole :class:`Settings` is seen only by :mod:`helpdesk.app` and the commands, which hand each
component its group (and, where a component truly needs another group's value, that value alone).
A wrong value stops startup with one line naming the setting (see :func:`load_settings`), never a
traceback.

May import: core.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationError

from helpdesk.core.errors import ConfigurationError
from helpdesk.settings.channels import (
    ConsoleSettings,
    MailboxSettings,
    SmtpSettings,
    TelegramSettings,
    TransportSecurity,
)
from helpdesk.settings.groups import (
    GENERATE_KEY,
    LANGUAGES,
    ConversationSettings,
    Group,
    JobsSettings,
    KnowledgeSettings,
    OperationsSettings,
    SecuritySettings,
    StorageSettings,
    TelegramDocuments,
)

__all__ = [
    "GENERATE_KEY",
    "LANGUAGES",
    "ConsoleSettings",
    "ConversationSettings",
    "Group",
    "JobsSettings",
    "KnowledgeSettings",
    "MailboxSettings",
    "OperationsSettings",
    "SecuritySettings",
    "Settings",
    "SmtpSettings",
    "StorageSettings",
    "TelegramDocuments",
    "TelegramSettings",
    "TransportSecurity",
    "load_settings",
]


class Settings(BaseModel):
    """All the groups of one process. A group not given is read from the environment and `.env`."""

    storage: StorageSettings = Field(default_factory=StorageSettings)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    mailbox: MailboxSettings = Field(default_factory=MailboxSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings)
    conversation: ConversationSettings = Field(default_factory=ConversationSettings)
    knowledge: KnowledgeSettings = Field(default_factory=KnowledgeSettings)
    jobs: JobsSettings = Field(default_factory=JobsSettings)
    operations: OperationsSettings = Field(default_factory=OperationsSettings)

    def groups(self) -> dict[str, Group]:
        return {name: getattr(self, name) for name in type(self).model_fields}

    def configured(self) -> set[str]:
        """The flat names set explicitly (environment, `.env` or an override), not by default."""
        return {name for group in self.groups().values() for name in group.model_fields_set}

    def replace(self, **values: Any) -> Settings:
        """A copy with some settings changed, by their flat names (tests, benchmarks); like
        ``model_copy(update=...)`` it does not validate the new values."""
        updates: dict[str, Group] = {}
        for group, changed in _by_group(values).items():
            updates[group] = getattr(self, group).model_copy(update=changed)
        return self.model_copy(update=updates)


def group_classes() -> dict[str, type[Group]]:
    """``{"storage": StorageSettings, ...}`` in the order of :class:`Settings`."""
    classes: dict[str, type[Group]] = {}
    for name, field in Settings.model_fields.items():
        annotation = field.annotation
        assert isinstance(annotation, type) and issubclass(annotation, Group)
        classes[name] = annotation
    return classes


def _by_group(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Flat names (``webhook_url``) sorted into their groups; an unknown name is a programming error."""
    home = {name: group for group, cls in group_classes().items() for name in cls.model_fields}
    grouped: dict[str, dict[str, Any]] = {}
    for name, value in values.items():
        if name not in home:
            raise TypeError(f"there is no setting HELPDESK_{name.upper()}")
        grouped.setdefault(home[name], {})[name] = value
    return grouped


def load_settings(**overrides: Any) -> Settings:
    """Read every group from the environment and `.env`; ``overrides`` (flat names, as tests and the
    demo pass them) win. A validation error becomes one line that names the setting."""
    grouped = _by_group(overrides)
    try:
        return Settings(**{name: cls(**grouped.get(name, {})) for name, cls in group_classes().items()})
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "HELPDESK_" + "_".join(str(part) for part in first["loc"]).upper()
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigurationError(f"{name}: {message}") from None
