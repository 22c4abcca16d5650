"""The bot's own texts (gettext domain ``bot``) and the language a person gets them in."""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.i18n import gettext_for, normalize_language

DOMAIN = "bot"


@dataclass(frozen=True, slots=True)
class Translator:
    """A callable translator bound to one language; handlers receive it as ``_``."""

    language: str

    def __call__(self, message: str, **params: object) -> str:
        text = gettext_for(DOMAIN, self.language).gettext(message)
        return text.format(**params) if params else text

    def plural(self, singular: str, plural: str, n: int, **params: object) -> str:
        """A text with a count ``n`` in the right form (three in Latvian and Russian)."""
        text = gettext_for(DOMAIN, self.language).ngettext(singular, plural, n)
        return text.format(**params) if params else text


def N_(message: str) -> str:
    """Marks a text for the catalog where it is defined; it is translated later, where it is shown."""
    return message


def translator_for(language: str | None) -> Translator:
    return Translator(normalize_language(language))


def pick_language(chosen: str | None, telegram_code: str | None, default: str) -> str:
    """The person's explicit choice wins; else what their Telegram app is set to; else the default."""
    if chosen:
        return normalize_language(chosen, default)
    return normalize_language(telegram_code, default)
