"""Reading a filled 附件3 back: member rows are matched by the USCC column (or, failing that, by the
exact name), the 合计 and 小计 rows and 当期加盟成员单位 are ignored (they are computed), and every bad
cell is listed — the upload is applied whole or not at all."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from skillcity.alliances.annexes import ANNEX3_LABELS, clean_annex3_values
from skillcity.alliances.excel.annex2 import ANNEX3_TITLE, SUBTOTAL_SUFFIX, TOTAL_LABEL, TOTAL_ROW
from skillcity.alliances.excel.layout import CellError, cell_text, open_sheet, upload_error
from skillcity.alliances.models import ANNEX3_ENTERED_FIELDS, ReportLine

USCC_COL = 14  # N
FOOTER_PREFIXES = ("填报联系人", "联系电话", "填报说明", "适用政策", "说明")
_GROUP_ROW = re.compile(r"^[一二三四五六七]、")
_MARKS = re.compile(r"（(发起单位|承担主体)）")


def annex3_read(content: bytes, lines: list[ReportLine]) -> dict[int, dict[str, Any]]:
    """{organisation id: values} for every member line of the report; raises listing every bad cell."""
    sheet = open_sheet(content, title=ANNEX3_TITLE)
    by_uscc = {line.organisation.uscc: line for line in lines}
    by_name = {line.organisation.name: line for line in lines}
    columns = {name: 3 + i for i, name in enumerate(ANNEX3_ENTERED_FIELDS)}  # C..L
    errors: list[CellError] = []
    found: dict[int, dict[str, Any]] = {}
    for row in range(TOTAL_ROW, sheet.max_row + 1):
        label = cell_text(sheet.cell(row=row, column=2).value)
        uscc = cell_text(sheet.cell(row=row, column=USCC_COL).value).upper()
        raw = {name: sheet.cell(row=row, column=col).value for name, col in columns.items()}
        first = cell_text(sheet.cell(row=row, column=1).value)
        if any(text.startswith(FOOTER_PREFIXES) for text in (first, label)):
            break
        if label == TOTAL_LABEL or label.endswith(SUBTOTAL_SUFFIX) or _GROUP_ROW.match(label):
            continue  # computed rows: whatever was typed there is recomputed from the members
        if not label and not uscc and all(cell_text(v) == "" for v in raw.values()):
            continue
        line = by_uscc.get(uscc) if uscc else by_name.get(_MARKS.sub("", label))
        if line is None:
            where = f"{get_column_letter(USCC_COL)}{row}" if uscc else f"B{row}"
            errors.append(
                CellError(where, _("成员单位"), _("“%(name)s”不是本期成员单位") % {"name": uscc or label})
            )
            continue
        if line.organisation_id in found:
            errors.append(
                CellError(
                    f"B{row}", _("成员单位"), _("“%(name)s”出现了不止一次") % {"name": line.organisation.name}
                )
            )
            continue
        values, line_errors = clean_annex3_values(raw)
        for name, reason in line_errors.items():
            errors.append(CellError(f"{get_column_letter(columns[name])}{row}", ANNEX3_LABELS[name], reason))
        found[line.organisation_id] = values
    for line in lines:
        if line.organisation_id not in found and not any(
            e.reason.startswith(f"“{line.organisation.name}”") for e in errors
        ):
            errors.append(
                CellError(
                    "", _("成员单位"), _("表中缺少成员单位“%(name)s”的行") % {"name": line.organisation.name}
                )
            )
    if errors:
        raise upload_error(errors)
    return found
