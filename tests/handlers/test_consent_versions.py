"""The consent wording's history: the newest version's words are the catalogs' words (so changing
the wording without a new version fails here), and every date names the version shown then."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from helpdesk.handlers.consent_text import NEWS_CONSENT_VERSION, WORDINGS, version_at, version_for, wording
from helpdesk.i18n import LANGUAGES, gettext_for

# The msgid of _consent_wording in helpdesk/handlers/consent.py.
CONSENT_WORDING = (
    "We will send news about the portal and your building's services to this address. You can "
    "withdraw at any time here or with the link in every news e-mail."
)


def test_the_newest_version_is_what_the_catalogs_show() -> None:
    assert WORDINGS[-1].version == NEWS_CONSENT_VERSION
    for language in LANGUAGES:
        shown = gettext_for("helpdesk", language).gettext(CONSENT_WORDING)
        assert WORDINGS[-1].words[language] == shown, f"{language}: the catalog changed; add a version"
        assert version_for(language) == f"{NEWS_CONSENT_VERSION}-{language}"


def test_every_version_keeps_its_words_in_every_language() -> None:
    assert len({w.version for w in WORDINGS}) == len(WORDINGS)
    assert [w.since for w in WORDINGS] == sorted(w.since for w in WORDINGS)
    for older, newer in itertools.pairwise(WORDINGS):
        assert older.words != newer.words, f"{newer.version} changes no words"
    for entry in WORDINGS:
        assert set(entry.words) == set(LANGUAGES)
        for language in LANGUAGES:
            assert wording(f"{entry.version}-{language}") == entry.words[language]
    assert wording("news-1999-01-lv") is None and wording("nonsense") is None


def test_a_date_names_the_version_shown_then() -> None:
    change = datetime(2026, 12, 1, 23, 6, tzinfo=UTC)
    assert version_at("lv", datetime(2026, 9, 8, tzinfo=UTC)) == "news-2026-11-lv"  # before any: the first
    assert version_at("ru", change - timedelta(seconds=1)) == "news-2026-11-ru"
    assert version_at("ru", change) == "news-2026-12-ru"
    assert version_at("en", datetime.now(UTC)) == version_for("en")
