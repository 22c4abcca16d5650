"""The TrueType font that PDFs are drawn in (demo invoices, Art. 15 exports).

The built-in PDF fonts have no ā, č, ē, ģ, ī, ķ, ļ, ņ, š, ū, ž and no Cyrillic, so a font that has
all three of our languages' letters is embedded. reportlab is imported only when a PDF is drawn.
"""

from __future__ import annotations

from pathlib import Path

from helpdesk.core.errors import ConfigurationError

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),
    Path("/Library/Fonts/Arial Unicode.ttf"),
)
FONT_NAME = "HelpdeskSans"


def pdf_font() -> str:
    """Register the font with reportlab once per process; returns the name to draw with."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    for candidate in FONT_CANDIDATES:
        if candidate.is_file():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(candidate)))
            return FONT_NAME
    raise ConfigurationError(
        "no TrueType font with Latvian and Cyrillic letters found for PDFs: install DejaVu Sans "
        "(Debian/Ubuntu: apt-get install fonts-dejavu-core)"
    )
