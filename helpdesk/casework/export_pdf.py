"""The Art. 15 export as a PDF (reportlab), for residents whose mail program will not open HTML.

Drawn from the stored JSON, so the PDF says exactly what the reviewed export says. A TrueType
font with the Latvian and Cyrillic letters is embedded (the built-in PDF fonts have neither).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from helpdesk.casework.export_data import readable
from helpdesk.casework.texts import labeller, resident_gettext
from helpdesk.i18n import dates
from helpdesk.i18n.fonts import pdf_font


def render(data: dict[str, Any], language: str) -> bytes:
    """The PDF in ``language``: its texts, and its dates written as that language writes them in
    Riga time (the same as the HTML document's)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = pdf_font()
    data = readable(data, language)
    translate = resident_gettext(language)

    def _when(value: str | None) -> str:
        return dates.moment_from_iso(value, language)

    # A "when" column is as wide as the longest moment, "31.01.2026 plkst. 12:00" (42 mm in this
    # font at 9 pt with the cell's padding), so that a date and its time stay on one line.
    when_width = 44 * mm

    _ = translate
    label = labeller(translate)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    heading = ParagraphStyle("heading", fontName=font, fontSize=13, leading=17, spaceBefore=8, spaceAfter=4)
    title = ParagraphStyle("title", fontName=font, fontSize=17, leading=22, spaceAfter=6)

    def text(value: object) -> Paragraph:
        return Paragraph(escape("" if value is None else str(value)).replace("\n", "<br/>"), body)

    def table(header: Sequence[str], rows: list[Sequence[object]], widths: Sequence[float]) -> Any:
        if not rows:
            return text("—")
        grid = Table([[text(h) for h in header], *[[text(c) for c in row] for row in rows]], colWidths=widths)
        grid.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return grid

    resident = data["resident"]
    story: list[Any] = [
        Paragraph(escape(_("Your data held by the Klientiem.lv helpdesk")), title),
        text(f"{_('Generated')}: {_when(data['generated_at'])} · {_('Request')} #{data['request_id']}"),
        Spacer(1, 4 * mm),
        text(
            _(
                "This is a copy of the personal data the helpdesk (Telegram bot, support mailbox and support "
                "agents) holds about you (GDPR Art. 15). The portal's privacy policy describes the purposes, "
                "the retention periods and your rights, including correction, erasure and complaint to the "
                "Data State Inspectorate."
            )
        ),
        Paragraph(escape(_("Profile")), heading),
        table(
            ["", ""],
            [
                [_("Customer number"), resident["id"]],
                [_("Name"), resident["name"]],
                [_("Address"), resident["address"]],
                [_("Invoice e-mail"), resident["invoice_email"] or "—"],
                [_("News e-mail"), resident["news_email"] or "—"],
                [_("Language"), resident["language"]],
                [
                    _("Personal code"),
                    _("on file (kept only as a keyed hash)")
                    if resident["personal_code_on_file"]
                    else _("not on file"),
                ],
            ],
            [50 * mm, 120 * mm],
        ),
        Paragraph(escape(_("Linked Telegram accounts")), heading),
        table(
            [_("Telegram user"), _("Linked")],
            [[link["telegram_user_id"], _when(link["linked_at"])] for link in data["telegram_links"]],
            [85 * mm, 85 * mm],
        ),
        Paragraph(escape(_("Consent history (news)")), heading),
        table(
            [_("When"), _("Decision"), _("Channel"), _("E-mail"), _("Text version")],
            [
                [
                    _when(row["created_at"]),
                    _("granted") if row["granted"] else _("withdrawn"),
                    label("channel", row["channel"]),
                    row["email"] or "",
                    row["text_version"],
                ]
                for row in data["consent"]
            ],
            [when_width, 22 * mm, 22 * mm, 44 * mm, 38 * mm],
        ),
        Paragraph(escape(_("Invoices")), heading),
        table(
            [_("Invoice"), _("Period"), _("Amount"), _("Due")],
            [[row["id"], row["period"], row["amount"], row["due_date"] or ""] for row in data["invoices"]],
            [70 * mm, 30 * mm, 35 * mm, 35 * mm],
        ),
        Paragraph(escape(_("Conversations")), heading),
    ]
    for conversation in data["conversations"]:
        channel = label("channel", conversation["channel"])
        story.append(text(f"{channel} · {_when(conversation['started_at'])}"))
        story.append(
            table(
                [_("When"), _("Text")],
                [
                    [
                        f"{_when(m['created_at'])}\n{_('you') if m['direction'] == 'in' else _('helpdesk')}",
                        m["text"],
                    ]
                    for m in conversation["messages"]
                ],
                [when_width, 126 * mm],
            )
        )
    if not data["conversations"]:
        story.append(text("—"))
    story += [
        Paragraph(escape(_("Requests")), heading),
        table(
            ["#", _("Type"), _("Received"), _("Status"), _("Summary")],
            [
                [
                    row["id"],
                    _("kind:" + row["kind"]),
                    _when(row["received_at"]),
                    _("status:" + row["status"]),
                    row["summary"],
                ]
                for row in data["requests"]
            ],
            [10 * mm, 32 * mm, when_width, 28 * mm, 56 * mm],
        ),
        Paragraph(escape(_("What was done with your requests")), heading),
        table(
            [_("When"), "#", _("Action")],
            [
                [_when(row["created_at"]), row["request_id"], label("audit", row["action"])]
                for row in data["audit"]
            ],
            [when_width, 20 * mm, 106 * mm],
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Your data held by the Klientiem.lv helpdesk"),
        author="Klientiem.lv",
        invariant=1,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
    )
    document.build(story)
    return buffer.getvalue()
