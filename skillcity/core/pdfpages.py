"""Multi-page PDF reports (reportlab platypus): a running header on every page and "第 n 页 / 共 m 页"
in the footer. The page total is only known at the end, so the canvas keeps each page's state and
draws the header and footer on all of them when the document is saved (reportlab's two-pass recipe).
Tables repeat their column header with `repeatRows`; a total row is kept with the row above it with the
table style command NOSPLIT (`keep_total_with_last_row`)."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen import canvas


def numbered_canvas(*, header: str, font: str) -> type[canvas.Canvas]:
    """A canvas class for `doc.build(story, canvasmaker=...)`."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setFont(font, 8)
            self.drawString(12 * mm, height - 8 * mm, header)
            self.drawRightString(width - 12 * mm, 6 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


def keep_total_with_last_row() -> tuple[str, tuple[int, int], tuple[int, int]]:
    """TableStyle command: never split between the last data row and the total row (the total is the
    table's last row), so a total never stands alone at the top of a page."""
    return ("NOSPLIT", (0, -2), (-1, -1))
