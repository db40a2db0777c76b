"""The leading talent's honorary certificate (荣誉证书) as a one-page A4 PDF, drawn with reportlab's
built-in CJK font like certification/pdf.py."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from skillcity.certification.pdf import FONT, GOLD, RED
from skillcity.talents.models.leading import Recognition


def honour_pdf(recognition: Recognition) -> bytes:
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"东莞市技能领军人才荣誉证书 {recognition.number}")
    pdf.setAuthor("东莞市人力资源和社会保障局")
    pdf.setStrokeColor(RED)
    pdf.setLineWidth(5)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setStrokeColor(GOLD)
    pdf.setLineWidth(1.5)
    pdf.rect(17 * mm, 17 * mm, width - 34 * mm, height - 34 * mm)
    pdf.setFillColor(RED)
    pdf.setFont(FONT, 34)
    pdf.drawCentredString(width / 2, height - 50 * mm, "荣 誉 证 书")
    pdf.setFillColor(colors.black)
    pdf.setFont(FONT, 18)
    pdf.drawString(40 * mm, height - 80 * mm, f"{recognition.worker.name} 同志：")
    pdf.setFont(FONT, 16)
    pdf.drawString(
        50 * mm,
        height - 95 * mm,
        f"经个人（单位）申报、形式审查、专家评审和社会公示，被认定为{recognition.year}年度",
    )
    pdf.setFont(FONT, 24)
    pdf.setFillColor(RED)
    pdf.drawCentredString(width / 2, height - 118 * mm, "东莞市技能领军人才")
    pdf.setFillColor(colors.black)
    pdf.setFont(FONT, 14)
    pdf.drawString(width - 120 * mm, 45 * mm, "东莞市人力资源和社会保障局")
    pdf.drawString(width - 110 * mm, 37 * mm, recognition.recognised_on.strftime("%Y年%m月%d日"))
    pdf.setFont(FONT, 10)
    pdf.drawString(30 * mm, 25 * mm, f"证书编号：{recognition.number}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
