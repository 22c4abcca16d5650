"""gettext catalogs (Babel .po files) per domain and language, compiled in memory when first used.

Domains keep the parts apart: ``helpdesk`` (what residents read, on every channel: the handlers'
replies, buttons, commands and refusals, casework's notices, the data export, and the e-mail
templates and notices), ``console`` (the agents' console), ``jobs`` (the agents' digest). Message
ids are English; Latvian
is the default language for residents. Compiling at load time means no build step and no .mo
files that can drift from their .po source. :mod:`.dates` writes dates as each language does;
:mod:`.fonts` finds the font PDFs are drawn in.

May import: core. Never anything above it.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).with_name("locales")
LANGUAGES = ("lv", "ru", "en")
DEFAULT_LANGUAGE = "lv"


def normalize_language(code: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    """Map ``ru-RU``, ``RU``, ``lv_LV``, ``en-GB`` and friends to one of our languages."""
    if not code:
        return default
    short = code.strip().lower().replace("_", "-").split("-", 1)[0]
    return short if short in LANGUAGES else default


@cache
def translations(domain: str, language: str) -> gettext.NullTranslations:
    po_path = LOCALES_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    if not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language, domain=domain)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(domain: str, language: str) -> gettext.NullTranslations:
    return translations(domain, normalize_language(language))
