"""The shortage catalog (TRN-SHORTAGE): import, all rows or none."""

from __future__ import annotations

from typing import Any, BinaryIO

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError
from skillcity.core.uploads import formula_cells, open_xlsx
from skillcity.registry.models import Occupation
from skillcity.training.models import (
    ShortageCatalogEntry,
)

# ---------------------------------------------------------------- shortage catalog (TRN-SHORTAGE)


SHORTAGE_HEADER = ["职业编码", "类别"]


def shortage_catalog_import(
    *, year: int, file: bytes | BinaryIO, actor: Any, is_demo_value: bool = False
) -> int:
    """Replace the catalog of `year` from an .xlsx (columns: 职业编码, 类别). All rows or none.
    `is_demo_value` marks rows that are not a published catalog (the demo's), so the page says so.

    Checked as the other imports are: the file's bounds before it is unpacked, the header row, no
    formula cells; every bad row is listed."""
    from openpyxl.utils import get_column_letter

    workbook = open_xlsx(
        file, unreadable=_("文件不是有效的 .xlsx 工作簿"), reason=_("文件不是有效的 .xlsx 工作簿")
    )
    sheet = workbook.worksheets[0]
    errors: list[str] = [
        _("第 %(n)d 行，%(c)s：是公式，不能导入；请改为直接填写数值或文字")
        % {"n": row, "c": SHORTAGE_HEADER[column - 1] if column <= 2 else get_column_letter(column)}
        for row, column in formula_cells(sheet.iter_rows())
    ]
    header = [str(v or "").strip() for v in next(sheet.iter_rows(max_row=1, values_only=True), ())]
    while header and not header[-1]:
        header.pop()
    if header != SHORTAGE_HEADER:
        errors.insert(
            0,
            _("第 1 行，表头：应为“职业编码、类别”，文件中为“%(h)s”") % {"h": "、".join(header) or _("空")},
        )
    if errors:
        raise DomainError(
            "invalid_rows",
            _("导入文件有 %(n)d 处错误，未导入任何数据") % {"n": len(errors)},
            {"rows": errors},
        )
    occupations = dict(Occupation.objects.values_list("code", "id"))
    rows: list[tuple[int, str]] = []
    seen: set[int] = set()
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not row or all(v in (None, "") for v in row):
            continue
        code = str(row[0] or "").strip()
        category = str(row[1] or "").strip() if len(row) > 1 else ""
        if code not in occupations:
            errors.append(_("第 %(n)d 行，职业编码：“%(c)s”不在职业目录中") % {"n": number, "c": code[:30]})
        elif occupations[code] in seen:
            errors.append(_("第 %(n)d 行，职业编码：“%(c)s”重复") % {"n": number, "c": code})
        elif len(category) > 20:
            errors.append(_("第 %(n)d 行，类别：不能超过 20 个字") % {"n": number})
        else:
            seen.add(occupations[code])
            rows.append((occupations[code], category))
    if errors:
        raise DomainError(
            "invalid_rows",
            _("导入文件有 %(n)d 行错误，未导入任何数据") % {"n": len(errors)},
            {"rows": errors},
        )
    if not rows:
        raise DomainError("empty_file", _("文件没有数据行"), {"file": _("文件没有数据行")})
    return _shortage_catalog_replace(year=year, rows=rows, actor=actor, is_demo_value=is_demo_value)


@transaction.atomic
def _shortage_catalog_replace(
    *, year: int, rows: list[tuple[int, str]], actor: Any, is_demo_value: bool = False
) -> int:
    removed = ShortageCatalogEntry.objects.filter(year=year).delete()[0]
    ShortageCatalogEntry.objects.bulk_create(
        [
            ShortageCatalogEntry(year=year, occupation_id=o, category=c, is_demo_value=is_demo_value)
            for o, c in rows
        ]
    )
    audit_record(
        actor=actor,
        action="shortage_catalog.import",
        target_type="training.shortagecatalog",
        target_id=year,
        before={"entries": removed},
        after={"entries": len(rows), "is_demo_value": is_demo_value},
    )
    return len(rows)
