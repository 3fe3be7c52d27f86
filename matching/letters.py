"""Documents as PDFs: the appointment letter (聘书) of a technology vice-president
and the agreements.

A Chinese TrueType font found on the server (WenQuanYi Micro Hei, Debian's
fonts-wqy-microhei, which the Docker image installs; or LETTER_FONT) is
embedded, so the letter prints the same everywhere. Without one, reportlab's
built-in Adobe CID font STSong-Light is used: no file needed, but the reader
must supply a Song typeface (Acrobat and Windows/macOS readers do).
"""

import io
from html import escape
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

from .models import Agreement, Placement

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


def agreement_pdf(agreement: Agreement) -> bytes:
    """The agreement as signed (or as a draft, marked so), with who signed when."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    placement = agreement.placement
    researcher = placement.researcher
    person = researcher.user.full_name or researcher.user.email
    font = _font()
    # wordWrap CJK: Chinese has no spaces to break lines at.
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    title = ParagraphStyle("title", parent=body, fontSize=22, leading=30, alignment=1)
    heading = {"tech_vp": "科技副总三方合作协议", "phd": "博士入企三方合作协议",
               "bounty": "揭榜挂帅项目协议及任务书"}[placement.programme]
    rows = [
        f"甲方（企业）：{placement.company.name}",
        f"乙方（人才）：{person}（{researcher.institution.name}）",
    ]
    if "university" in agreement.parties:
        rows.append(f"丙方（高校）：{researcher.institution.name}")
    rows += [
        f"期限：{_date(agreement.starts_on)}至{_date(agreement.ends_on)}",
    ]
    if agreement.amount is not None:
        rows.append(f"金额：{agreement.amount}万元")
    if agreement.service_days_per_month:
        rows.append(f"每月驻企服务不少于{agreement.service_days_per_month}天")
    if agreement.ip_terms:
        rows.append(f"知识产权：{agreement.ip_terms}")
    if agreement.terms:
        rows.append(f"其他约定：{agreement.terms}")
    names = {"company": "甲方", "researcher": "乙方", "university": "丙方"}
    signatures = [f"{names[s.party]}已于{_date(timezone.localtime(s.signed_at).date())}在线签署"
                  f"（{s.signed_by.full_name or s.signed_by.email}）"
                  for s in agreement.signatures.select_related("signed_by")]
    if not agreement.is_signed:
        signatures.append("（草案：尚未经全部各方签署）")
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            title=f"{heading} {placement.company.name} {person}")
    story = [Paragraph(heading, title), Spacer(1, 8 * mm),
             Paragraph(f"协议编号：{placement.pk}-{agreement.version}", body), Spacer(1, 4 * mm)]
    for line in rows + [""] + signatures:
        story.append(Paragraph(escape(line), body) if line else Spacer(1, 6 * mm))
    doc.build(story)
    return out.getvalue()
