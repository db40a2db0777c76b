"""The certificate of completion (结业证明) of an online course as a one-page PDF, with reportlab's
built-in CJK font (as skillcity.certification.pdf). It shows the ID number masked: the certificate
proves the course, not the identity, and is handed to employers and training providers. Its QR opens
the public verification page (skillcity.learning.selectors.verify) with a signed token."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from skillcity.certification.pdf import qr_png
from skillcity.certification.signing import sign_payload
from skillcity.core.masking import mask_id_number
from skillcity.learning.models import Completion
from skillcity.learning.selectors.verify import qr_payload

FONT = "STSong-Light"
if FONT not in pdfmetrics.getRegisteredFontNames():
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))

BLUE = colors.HexColor("#1d4e89")
GOLD = colors.HexColor("#b8860b")


def _date(value: object) -> str:
    return f"{value.year}年{value.month}月{value.day}日"  # type: ignore[attr-defined]


def completion_pdf(
    completion: Completion, *, verify_url: str = "", platform_name: str = "技能人才之都综合服务平台"
) -> bytes:
    """`verify_url`: the public verification page the QR opens (with ?qr=<the signed token>); no QR
    without it."""
    buffer = io.BytesIO()
    page = landscape(A4)
    width, height = page
    pdf = canvas.Canvas(buffer, pagesize=page)
    pdf.setTitle(f"在线学习结业证明 {completion.number}")
    pdf.setAuthor(platform_name)
    pdf.setStrokeColor(BLUE)
    pdf.setLineWidth(4)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setStrokeColor(GOLD)
    pdf.setLineWidth(1)
    pdf.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    pdf.setFillColor(BLUE)
    pdf.setFont(FONT, 30)
    pdf.drawCentredString(width / 2, height - 42 * mm, "在线学习结业证明")
    pdf.setFillColor(colors.black)
    pdf.setFont(FONT, 11)
    pdf.drawCentredString(width / 2, height - 50 * mm, "Certificate of Completion")

    worker = completion.worker
    course = completion.course
    pdf.setFont(FONT, 15)
    lines = [
        f"{worker.name}（身份证号码 {mask_id_number(worker.id_number)}）",
        f"于{_date(completion.completed_on)}完成在线课程",
        f"《{course.title}》（课程编号 {course.code}）",
        f"课程提供单位：{course.provider.name}",
        f"学时：{completion.hours}",
    ]
    y = height - 75 * mm
    for line in lines:
        pdf.drawCentredString(width / 2, y, line[:60])
        y -= 12 * mm

    pdf.setFont(FONT, 10)
    pdf.setFillColor(colors.HexColor("#444444"))
    pdf.drawString(30 * mm, 34 * mm, f"证明编号：{completion.number}")
    pdf.drawString(
        30 * mm,
        27 * mm,
        f"本证明由{platform_name}根据学习记录生成；任何人可在平台“结业证明查验”页按编号和姓名查验。",
    )
    qr_size = 30 * mm
    right = width - 30 * mm - (qr_size + 6 * mm if verify_url else 0)
    pdf.drawRightString(right, 34 * mm, platform_name)
    pdf.drawRightString(right, 27 * mm, _date(completion.completed_on))
    if verify_url:
        link = f"{verify_url}?qr={sign_payload(qr_payload(completion))}"
        pdf.drawImage(
            ImageReader(io.BytesIO(qr_png(link))), width - 30 * mm - qr_size, 24 * mm, qr_size, qr_size
        )
        pdf.setFont(FONT, 8)
        pdf.drawCentredString(width - 30 * mm - qr_size / 2, 20 * mm, "扫码查验")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
