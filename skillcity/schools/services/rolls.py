"""The rolls import (.xlsx, the template the page offers): a school's student counts for a year, per
major, year of study and class kind. All rows or none; every bad row listed with its row number and
column label. An import replaces the school's counts for that year."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record
from skillcity.core.bounds import HEADCOUNT_MAX, parse_int, shown_value
from skillcity.core.errors import DomainError
from skillcity.core.spreadsheets import new_workbook, workbook_bytes
from skillcity.registry.imports import FormulaCells, ImportResult, RowError, column_positions, read_rows
from skillcity.schools.models import YEAR_OF_STUDY_MAX, ClassKind, Major, RollCount, RollImport, School
from skillcity.schools.services import _year, require_school_actor

MAJOR, GRADE, KIND, STUDENTS = "专业名称", "年级", "班级类型", "在校生人数"
COLUMNS = {MAJOR: "major", GRADE: "year_of_study", KIND: "class_kind", STUDENTS: "students"}
KIND_BY_LABEL = {str(label): value for value, label in ClassKind.choices}

# A school has some dozens of majors × years × class kinds: one file of more rows than this is a mistake.
ROWS_MAX = 5_000


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def template() -> bytes:
    workbook = new_workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "在校生名册"
    sheet.append(list(COLUMNS))
    sheet.append(["数控技术应用", 1, str(ClassKind.INTERMEDIATE.label), 120])
    sheet.append(["数控技术应用", 1, str(ClassKind.HS_ADVANCED.label), 40])
    return workbook_bytes(workbook)


def _rows(filename: str, content: bytes) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError]]:
    if not filename.lower().endswith(".xlsx"):
        return [], [RowError(1, "", _("只支持 .xlsx 文件，请使用页面提供的模板"))]
    try:
        rows = list(read_rows(filename, content))
    except FormulaCells as error:
        return [], error.errors
    except DomainError as error:
        return [], [RowError(1, "", str(error.message))]
    if not rows:
        return [], [RowError(1, "", _("文件为空"))]
    index, errors = column_positions([text(c) for c in rows[0]], COLUMNS)
    data = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {key: row[pos] if pos < len(row) else None for key, pos in index.items()}
        if any(text(v) for v in cells.values()):
            data.append((number, cells))
    if not errors and not data:
        errors.append(RowError(2, "", _("文件中没有数据行")))
    if len(data) > ROWS_MAX:
        errors.append(RowError(1, "", _("一次最多导入 %(n)d 行") % {"n": ROWS_MAX}))
    return data, errors


def rolls_check(school: School, filename: str, content: bytes) -> tuple[list[dict[str, Any]], list[RowError]]:
    """The rows as counts, and every problem (row, column label, reason)."""
    data, errors = _rows(filename, content)
    if errors:
        return [], errors
    majors = {m.name: m for m in Major.objects.filter(school=school)}
    seen: dict[tuple[int, int, str], int] = {}
    counts: list[dict[str, Any]] = []
    for number, cells in data:
        bad = False
        major = majors.get(text(cells.get("major")))
        if major is None:
            raw = text(cells.get("major"))
            reason = (
                _("请填写专业名称")
                if not raw
                else _("本校没有专业“%(m)s”，请先在专业页登记") % {"m": shown_value(raw)}
            )
            errors.append(RowError(number, MAJOR, reason))
            bad = True
        try:
            grade = parse_int(cells.get("year_of_study"), low=1, high=YEAR_OF_STUDY_MAX)
        except ValueError as exc:
            errors.append(
                RowError(number, GRADE, _("年级%(e)s（1–%(m)s）") % {"e": str(exc), "m": YEAR_OF_STUDY_MAX})
            )
            bad = True
        kind = KIND_BY_LABEL.get(text(cells.get("class_kind")))
        if kind is None:
            errors.append(RowError(number, KIND, _("应为：%(k)s") % {"k": "、".join(KIND_BY_LABEL)}))
            bad = True
        try:
            students = parse_int(cells.get("students"), low=0, high=HEADCOUNT_MAX)
        except ValueError as exc:
            errors.append(RowError(number, STUDENTS, _("在校生人数%(e)s") % {"e": str(exc)}))
            bad = True
        if bad:
            continue
        assert major is not None and kind is not None
        key = (major.pk, grade, kind)
        if key in seen:
            errors.append(
                RowError(number, MAJOR, _("与第%(n)s行的专业、年级、班级类型重复") % {"n": seen[key]})
            )
            continue
        seen[key] = number
        counts.append({"major": major, "year_of_study": grade, "class_kind": kind, "students": students})
    return counts, errors


@transaction.atomic
def rolls_import(*, actor: Any, school: School, year: int, filename: str, content: bytes) -> ImportResult:
    """All rows or none: with any bad row nothing is written and every bad row is listed."""
    require_school_actor(actor, school)
    year = _year(year)
    counts, errors = rolls_check(school, filename, content)
    if errors:
        return ImportResult(0, errors)
    School.objects.select_for_update().get(pk=school.pk)  # one import of a school at a time
    replaced = RollCount.objects.filter(school=school, year=year).count()
    RollCount.objects.filter(school=school, year=year).delete()
    run = RollImport.objects.create(
        school=school,
        year=year,
        filename=filename[:200],
        rows=len(counts),
        students=sum(c["students"] for c in counts),
        imported_by=actor,
    )
    RollCount.objects.bulk_create(RollCount(school=school, roll_import=run, year=year, **c) for c in counts)
    audit_record(
        actor=actor,
        action="schools.rolls.import",
        target=run,
        target_label=f"{school.organisation.name} {year}",
        after={
            "year": year,
            "rows": run.rows,
            "students": run.students,
            "replaced_rows": replaced,
            "filename": run.filename,
        },
    )
    return ImportResult(len(counts), [])
