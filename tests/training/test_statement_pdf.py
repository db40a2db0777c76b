"""The statement PDF: page numbers with the page total, the header on every page, and a total row
that never stands alone at the top of a page."""

from __future__ import annotations

import pytest
from reportlab.pdfgen import canvas
from reportlab.platypus import Table

from skillcity.core.pdfpages import keep_total_with_last_row
from skillcity.core.periods import HalfYear
from skillcity.training import services, statements
from skillcity.training.models import TrainingProject
from tests.training.test_settlement import _complete_many

pytestmark = pytest.mark.django_db


def test_every_page_has_the_header_and_its_number_of_the_total(monkeypatch, training_class, institution):
    TrainingProject.objects.filter(pk=training_class.project_id).update(capacity=100)
    _complete_many(training_class, 45)
    settlement = services.settlement_run(provider=institution, period=HalfYear(2025, 1))
    drawn: list[str] = []
    original = canvas.Canvas.drawString
    original_right = canvas.Canvas.drawRightString

    def draw(self, x, y, text, *args, **kwargs):
        drawn.append(str(text))
        return original(self, x, y, text, *args, **kwargs)

    def draw_right(self, x, y, text, *args, **kwargs):
        drawn.append(str(text))
        return original_right(self, x, y, text, *args, **kwargs)

    monkeypatch.setattr(canvas.Canvas, "drawString", draw)
    monkeypatch.setattr(canvas.Canvas, "drawRightString", draw_right)
    pdf = statements.statement_pdf(settlement)
    assert pdf.startswith(b"%PDF")
    numbers = [t for t in drawn if t.startswith("第 ") and "页" in t]
    assert len(numbers) >= 2
    total = len(numbers)
    assert numbers == [f"第 {n} 页 / 共 {total} 页" for n in range(1, total + 1)]
    headers = [t for t in drawn if t.startswith(statements.TITLE) and institution.name in t]
    assert len(headers) == total


def test_a_total_row_is_never_left_alone_on_a_page():
    rows = [["序号", "金额"], *[[str(i), "1.00"] for i in range(10)], ["合计", "10.00"]]
    # Room for the header and the ten rows but not the total: without the rule, the total would go
    # alone to the next page.
    plain = Table(rows, repeatRows=1, rowHeights=[10] * len(rows))
    _head, tail = plain.split(200, 11 * 10 + 5)
    assert len(tail._cellvalues) == 2  # the repeated header and the total alone
    kept = Table(rows, repeatRows=1, rowHeights=[10] * len(rows))
    kept.setStyle([keep_total_with_last_row()])
    _head, tail = kept.split(200, 11 * 10 + 5)
    assert [r[0] for r in tail._cellvalues] == ["序号", "9", "合计"]
