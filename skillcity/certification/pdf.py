"""The certificate as a PDF in the national layout (catalog §5), with reportlab's built-in CJK font.

The certificate itself shows the full ID number (as the printed national certificate does); the public
lookup and the QR payload show it masked.
"""

from __future__ import annotations

import io
from typing import Any

import segno
from django.http import HttpRequest
from django.urls import reverse
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from skillcity.certification.models import Certificate
from skillcity.core.audit import audit_personal_data_view
from skillcity.core.env import env_str

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

RED = colors.HexColor("#9b1c1c")
GOLD = colors.HexColor("#b8860b")


def qr_png(data: str, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """One A4 page; `verify_url` is the public verification page the QR opens (with ?qr=…)."""
    buffer = io.BytesIO()
    width, height = A4
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"职业技能等级证书 {certificate.number}")
    pdf.setAuthor(certificate.evaluator.organisation.name)
    # Frame: a red outer border and a thin gold inner one.
    pdf.setStrokeColor(RED)
    pdf.setLineWidth(4)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setStrokeColor(GOLD)
    pdf.setLineWidth(1)
    pdf.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)

    pdf.setFillColor(RED)
    pdf.setFont(FONT, 30)
    pdf.drawCentredString(width / 2, height - 45 * mm, "职业技能等级证书")
    pdf.setFont(FONT, 11)
    pdf.setFillColor(colors.black)
    pdf.drawCentredString(width / 2, height - 53 * mm, "Vocational Skill Level Certificate")

    # Photo placeholder (the holder's photo is pasted or printed here).
    photo_x, photo_y, photo_w, photo_h = 30 * mm, height - 110 * mm, 30 * mm, 40 * mm
    pdf.setStrokeColor(colors.grey)
    pdf.setDash(3, 2)
    pdf.rect(photo_x, photo_y, photo_w, photo_h)
    pdf.setDash()
    pdf.setFont(FONT, 10)
    pdf.setFillColor(colors.grey)
    pdf.drawCentredString(photo_x + photo_w / 2, photo_y + photo_h / 2, "照片")
    pdf.setFillColor(colors.black)

    worker = certificate.worker
    session = certificate.candidate.session
    rows = [
        ("姓　　名", certificate.holder_name),
        ("证件类型", "居民身份证"),
        ("证件号码", worker.id_number),
        ("职业名称", f"{certificate.occupation.name}（{certificate.occupation.code}）"),
        ("工种/方向", session.direction or "—"),
        ("职业技能等级", certificate.level_name),
        ("证书编号", certificate.number),
        ("评价机构", certificate.evaluator.organisation.name),
        (
            "发证日期",
            f"{certificate.issued_on.year}年{certificate.issued_on.month}月{certificate.issued_on.day}日",
        ),
    ]
    label_x, value_x = 70 * mm, 102 * mm
    y = height - 75 * mm
    for label, value in rows:
        pdf.setFont(FONT, 12)
        pdf.setFillColor(colors.HexColor("#444444"))
        pdf.drawString(label_x, y, label)
        pdf.setFillColor(colors.black)
        pdf.setFont(FONT, 13)
        pdf.drawString(value_x, y, str(value)[:40])
        y -= 11 * mm

    # QR for public lookup, bottom right, and the verification hint.
    qr_size = 38 * mm
    qr_x, qr_y = width - 30 * mm - qr_size, 30 * mm
    link = f"{verify_url}?qr={certificate.qr_token}"
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(link))), qr_x, qr_y, qr_size, qr_size)
    pdf.setFont(FONT, 9)
    pdf.drawCentredString(qr_x + qr_size / 2, qr_y - 5 * mm, "扫码查验证书真伪")
    pdf.setFont(FONT, 10)
    pdf.drawString(30 * mm, 48 * mm, "本证书表明持证人通过职业技能等级认定，具备相应职业技能等级水平。")
    pdf.drawString(30 * mm, 41 * mm, "可通过二维码或“证书查询”（证书编号＋姓名）核验。")
    pdf.setFont(FONT, 8)
    pdf.setFillColor(colors.grey)
    pdf.drawString(30 * mm, 30 * mm, f"签名密钥标识 {certificate.key_id}")
    if certificate.status == Certificate.Status.REVOKED:
        pdf.saveState()
        pdf.setFillColor(colors.Color(0.8, 0, 0, alpha=0.35))
        pdf.setFont(FONT, 60)
        pdf.translate(width / 2, height / 2)
        pdf.rotate(30)
        pdf.drawCentredString(0, 0, "已撤销")
        pdf.restoreState()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def verify_url_for(request: HttpRequest, url_name: str = "certification:verify") -> str:
    """The public verification page a QR opens (a certificate's, a title's, a talent card's):
    SKILLCITY_PUBLIC_URL (the address citizens reach) when set, else the address of this request."""
    base = env_str("SKILLCITY_PUBLIC_URL", "").rstrip("/")
    path = reverse(url_name)
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def certificate_pdf_download(certificate: Certificate, *, actor: Any, verify_url: str) -> bytes:
    """The PDF shows the full ID number: every download is a full view and is recorded (PIPL), the
    holder's own included, so that the record of who saw a number is complete."""
    audit_personal_data_view(actor=actor, target=certificate, field="certificate_pdf")
    return certificate_pdf(certificate, verify_url=verify_url)
