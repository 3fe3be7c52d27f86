"""The appointment letter (聘书) of a technology vice-president, as a PDF.

A Chinese TrueType font found on the server (WenQuanYi Micro Hei, Debian's
fonts-wqy-microhei, which the Docker image installs; or LETTER_FONT) is
embedded, so the letter prints the same everywhere. Without one, reportlab's
built-in Adobe CID font STSong-Light is used: no file needed, but the reader
must supply a Song typeface (Acrobat and Windows/macOS readers do).
"""

import io
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from .models import Placement

FONT_FILES = [getattr(settings, "LETTER_FONT", ""),
              "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
              "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"]


def _font() -> str:
    if "letter" in pdfmetrics.getRegisteredFontNames():
        return "letter"
    for path in filter(None, FONT_FILES):
        if Path(path).exists():
            pdfmetrics.registerFont(TTFont("letter", path))
            return "letter"
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def _date(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def letter_response(placement: Placement) -> HttpResponse:
    """The letter as a PDF download, or a 404 unless the placement has one
    (Placement.has_letter: an approved tech-VP placement). The caller has scoped
    `placement` to what the requester may see."""
    if not placement.has_letter:
        raise Http404("No appointment letter")
    response = HttpResponse(appointment_letter(placement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="letter-{placement.pk}.pdf"'
    return response


def appointment_letter(placement: Placement) -> bytes:
    researcher = placement.researcher
    person = researcher.user.full_name or researcher.user.email
    lines = [
        f"兹聘请{researcher.institution.name}{researcher.get_title_display()}{person}同志",
        f"为{placement.company.name}{placement.post or '科技副总'}，",
        f"聘期自{_date(placement.starts_on)}至{_date(placement.ends_on)}。",
        "",
        "特发此证。",
    ]
    font = _font()
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setTitle(f"聘书 {person} {placement.company.name}")
    width, height = A4
    page.setFont(font, 36)
    page.drawCentredString(width / 2, height - 60 * mm, "聘  书")
    page.setFont(font, 15)
    y = height - 95 * mm
    for line in lines:
        page.drawString(30 * mm, y, line)
        y -= 11 * mm
    page.drawRightString(width - 30 * mm, y - 25 * mm, placement.company.name)
    page.drawRightString(width - 30 * mm, y - 36 * mm, "钱塘新区经济信息化和科技局（见证）")
    issued = placement.approved_at or timezone.now()
    page.drawRightString(width - 30 * mm, y - 47 * mm, _date(timezone.localtime(issued).date()))
    page.showPage()
    page.save()
    return out.getvalue()
