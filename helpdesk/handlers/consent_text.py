"""The news-consent wording's versions: each ledger row records one, so we can prove what was shown
(GDPR Art. 7(1)).

The wording is the catalogs' text of ``_consent_wording`` in handlers/consent.py, in each language.
Its history is kept here, every version with the day it was first shown and its exact words, since
the catalogs hold only today's: a row written (or seeded, or imported) at any date names the
version shown then, and :func:`wording` gives that version's words back. When the wording in the
catalogs changes, add a version at the end; tests/handlers/test_consent_versions.py fails until
the newest version's words are the catalogs' words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class Wording:
    version: str  # "news-2026-12"; a ledger row names it with the language: "news-2026-12-lv"
    since: datetime  # when it replaced the one before
    words: dict[str, str]  # language -> the text the resident read


WORDINGS: tuple[Wording, ...] = (
    Wording(
        "news-2026-11",
        datetime(2026, 11, 25, 6, 52, tzinfo=UTC),
        {
            "lv": "Uz šo adresi sūtīsim jaunumus par portālu un jūsu mājas pakalpojumiem. Piekrišanu "
            "varat atsaukt jebkurā brīdī šeit vai ar saiti katrā jaunumu e-pastā.",
            "ru": "Мы будем отправлять на этот адрес новости о портале и услугах вашего дома. Вы можете "
            "отозвать согласие в любой момент здесь или по ссылке в каждом новостном письме.",
            "en": "We will send news about the portal and your building's services to this address. You "
            "can withdraw at any time here or with the link in every news e-mail.",
        },
    ),
    # The residents' texts reviewed: a capital Jūsu / Вашего.
    Wording(
        "news-2026-12",
        datetime(2026, 12, 1, 23, 6, tzinfo=UTC),
        {
            "lv": "Uz šo adresi sūtīsim jaunumus par portālu un Jūsu mājas pakalpojumiem. Piekrišanu "
            "varat atsaukt jebkurā brīdī šeit vai ar saiti katrā jaunumu e-pastā.",
            "ru": "Мы будем отправлять на этот адрес новости о портале и услугах Вашего дома. Вы можете "
            "отозвать согласие в любой момент здесь или по ссылке в каждом новостном письме.",
            "en": "We will send news about the portal and your building's services to this address. You "
            "can withdraw at any time here or with the link in every news e-mail.",
        },
    ),
)

NEWS_CONSENT_VERSION = WORDINGS[-1].version


def version_for(language: str) -> str:
    """The wording shown now; each language's text is a separate wording: ``news-2026-12-lv``."""
    return f"{NEWS_CONSENT_VERSION}-{language}"


def version_at(language: str, when: datetime) -> str:
    """The wording that was shown at ``when``. The first version also names anything older (the
    demo's history, rows imported from the portal): no other wording came before it."""
    current = WORDINGS[0]
    for candidate in WORDINGS[1:]:
        if candidate.since <= when:
            current = candidate
    return f"{current.version}-{language}"


def wording(text_version: str) -> str | None:
    """The words a ledger row's ``text_version`` (``news-2026-11-lv``) stands for, or None."""
    version, _, language = text_version.rpartition("-")
    for candidate in WORDINGS:
        if candidate.version == version:
            return candidate.words.get(language)
    return None
