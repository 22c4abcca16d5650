"""Real invoice PDFs for the demo, drawn with reportlab in the font of :mod:`helpdesk.i18n.fonts`.

Output is deterministic (``invariant=1``), so re-running the demo produces the same bytes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from helpdesk.i18n.fonts import pdf_font


def _money(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",") + " EUR"


def render_invoice(
    path: Path,
    *,
    invoice_id: str,
    name: str,
    address: str,
    period: str,
    due: date,
    lines: list[tuple[str, Decimal]],
) -> None:
    """Write one A4 invoice to ``path``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    font = pdf_font()
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setTitle(f"Rēķins {invoice_id}")
    canvas.setAuthor("Klientiem.lv (demo)")
    width, height = A4
    y = height - 72
    canvas.setFont(font, 18)
    canvas.drawString(72, y, f"Rēķins Nr. {invoice_id}")
    canvas.setFont(font, 10)
    y -= 28
    for text in (
        "SIA “Demo Namu pārvalde”, Brīvības iela 100, Rīga, LV-1001",
        f"Maksātājs: {name}",
        f"Adrese: {address}",
        f"Periods: {period}    Apmaksas termiņš: {due:%d.%m.%Y}",
    ):
        canvas.drawString(72, y, text)
        y -= 16
    y -= 12
    canvas.setFont(font, 11)
    canvas.drawString(72, y, "Pakalpojums")
    canvas.drawRightString(width - 72, y, "Summa")
    canvas.line(72, y - 4, width - 72, y - 4)
    y -= 20
    canvas.setFont(font, 10)
    for label, amount in lines:
        canvas.drawString(72, y, label)
        canvas.drawRightString(width - 72, y, _money(amount))
        y -= 16
    canvas.line(72, y + 8, width - 72, y + 8)
    canvas.setFont(font, 12)
    total = sum((amount for _label, amount in lines), Decimal("0"))
    canvas.drawString(72, y - 8, "Kopā apmaksai")
    canvas.drawRightString(width - 72, y - 8, _money(total))
    canvas.setFont(font, 8)
    canvas.drawString(72, 60, "Demonstrācijas rēķins: izdomāti dati, nav jāmaksā.")
    canvas.showPage()
    canvas.save()
