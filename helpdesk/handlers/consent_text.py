"""The news-consent wording's version: recorded on every ledger row, so we can prove what was shown.

Change the version whenever the wording of the consent texts in the catalogs changes.
"""

from __future__ import annotations

NEWS_CONSENT_VERSION = "news-2026-12"


def version_for(language: str) -> str:
    """Each language's text is a separate wording: ``news-2026-12-lv``."""
    return f"{NEWS_CONSENT_VERSION}-{language}"
