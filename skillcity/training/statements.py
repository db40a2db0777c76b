"""Settlement statements (结算单): one provider, one half year, every line — as .xlsx and as PDF.

The PDF uses reportlab's built-in CJK font STSong-Light (no font file to ship or download). Personal
data is masked on both: a statement travels to finance and to the provider.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from skillcity.core.masking import mask_id_number
from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.training.models import Settlement, SettlementLine

TITLE = "项目制培训及技能提升补贴结算单"
HEADERS = ["序号", "学员姓名", "身份证号码", "培训项目", "结业日期", "补贴项目", "发放对象", "金额（元）"]
RULE_NAMES = {"TRN-PROJECT": "项目制培训补贴", "TRN-UPSKILL": "技能提升补贴"}


def statement_rows(settlement: Settlement) -> list[list[str]]:
    lines = (
        SettlementLine.objects.filter(settlement=settlement)
        .select_related("enrolment__worker", "enrolment__training_class__project")
        .order_by("enrolment_id", "rule")
    )
    rows = []
    for i, line in enumerate(lines, start=1):
        e = line.enrolment
        rows.append(
            [
                str(i),
                e.worker.name,
                mask_id_number(e.worker.id_number),
                e.training_class.project.name,
                e.completed_on.isoformat() if e.completed_on else "",
                RULE_NAMES.get(line.rule, line.rule),
                str(line.get_payee_display()),
                f"{line.amount:.2f}",
            ]
        )
    return rows


def _heading(settlement: Settlement) -> list[str]:
    return [
        f"培训单位：{settlement.provider.name}",
        f"统一社会信用代码：{settlement.provider.uscc}",
        f"结算期：{settlement.period}　状态：{settlement.get_status_display()}",
        f"合计：{settlement.line_count} 条，{settlement.total_amount:.2f} 元",
    ]


def statement_xlsx(settlement: Settlement) -> bytes:
    book = new_workbook()
    sheet = book.active
    sheet.title = settlement.period
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"] = TITLE
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for offset, text in enumerate(_heading(settlement), start=2):
        sheet.cell(row=offset, column=1, value=text)
    header_row = 7
    for col, text in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=header_row, column=col, value=text)
        cell.font = Font(bold=True)
    rows = statement_rows(settlement)
    for r, row in enumerate(rows, start=header_row + 1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=Decimal(value) if c == len(HEADERS) else value)
            if c == len(HEADERS):
                cell.number_format = "0.00"
    total_row = header_row + len(rows) + 1
    sheet.cell(row=total_row, column=1, value="合计")
    sheet.cell(row=total_row, column=len(HEADERS), value=settlement.total_amount).number_format = "0.00"
    sheet.cell(row=total_row + 2, column=1, value=f"制表日期：{timezone.localdate().isoformat()}")
    for col, width in enumerate([6, 10, 22, 28, 12, 14, 10, 14], start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    return workbook_bytes(book)


def statement_pdf(settlement: Settlement) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from skillcity.core.pdfpages import keep_total_with_last_row, numbered_canvas

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=14)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
    )
    story: list = [Paragraph(TITLE, title), Spacer(1, 4 * mm)]
    story += [Paragraph(text, body) for text in _heading(settlement)]
    story.append(Spacer(1, 4 * mm))
    data = [
        HEADERS,
        *statement_rows(settlement),
        ["合计", "", "", "", "", "", "", f"{settlement.total_amount:.2f}"],
    ]
    table = Table(
        data, repeatRows=1, colWidths=[12 * mm, 24 * mm, 44 * mm, 70 * mm, 26 * mm, 32 * mm, 24 * mm, 28 * mm]
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 9),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("ALIGN", (-1, 1), (-1, -1), "RIGHT"),
                keep_total_with_last_row(),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 6 * mm),
        Paragraph(f"制表日期：{timezone.localdate().isoformat()}　　审核：　　　　财务：", body),
    ]
    header = f"{TITLE} · {settlement.provider.name} · {settlement.period}"
    doc.build(story, canvasmaker=numbered_canvas(header=header, font=font))
    return buffer.getvalue()
