"""The marking scheme's .xlsx layout: the template, an import all-or-nothing with every bad row listed."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from skillcity.competitions.models import Aspect, Section
from skillcity.competitions.services import scheme_xlsx
from skillcity.core.errors import PermissionDenied
from tests.competitions.marking_setup import make_marked

pytestmark = pytest.mark.django_db

HEADER = ["模块代码", "模块名称", "评分项代码", "评分项描述", "评分方式（测量/评价）", "分值"]


def _xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_template_has_one_sheet_with_the_published_columns(bureau_officer):
    m = make_marked(bureau_officer, entries=0)
    workbook = load_workbook(io.BytesIO(scheme_xlsx.template_workbook(m.project)))
    assert len(workbook.worksheets) == 1
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER
    assert rows[1] == ("A", "零件加工", "A1", "尺寸精度", "测量", "20.00")
    assert rows[2][4] == "评价"


def test_a_good_file_replaces_the_scheme(bureau_officer):
    m = make_marked(bureau_officer, entries=0)
    content = _xlsx(
        [
            ["M1", "车削", "M1.1", "外圆 Φ40±0.02", "测量", 10],
            ["M1", "车削", "M1.2", "表面粗糙度", "评价", 4.5],
            ["M2", "安全文明", "M2.1", "着装与工位", "评价", "3"],
            [None, None, None, None, None, None],
        ]
    )
    result = scheme_xlsx.scheme_import(
        project=m.project, actor=m.organiser_user, filename="s.xlsx", content=content
    )
    assert result.ok and result.created == 3
    assert list(Section.objects.filter(project=m.project).values_list("code", "name")) == [
        ("M1", "车削"),
        ("M2", "安全文明"),
    ]
    assert list(
        Aspect.objects.filter(section__project=m.project)
        .order_by("section__order", "order")
        .values_list("code", "kind")
    ) == [("M1.1", "measurement"), ("M1.2", "judgement"), ("M2.1", "judgement")]


def test_one_bad_row_rejects_the_whole_file_listing_every_bad_row_and_column(bureau_officer):
    m = make_marked(bureau_officer, entries=0)
    content = _xlsx(
        [
            ["M1", "车削", "M1.1", "外圆", "测量", 10],
            ["M1", "车削", "M1.2", "", "打分", 0],
            ["M1", "铣削", "M1.1", "内孔", "测量", 101],
        ]
    )
    result = scheme_xlsx.scheme_import(
        project=m.project, actor=m.organiser_user, filename="s.xlsx", content=content
    )
    assert not result.ok
    got = {(e.row, e.column) for e in result.errors}
    assert got == {
        (3, "评分项描述"),
        (3, "评分方式"),
        (3, "分值"),
        (4, "分值"),
        (4, "模块名称"),
        (4, "评分项代码"),
    }
    assert any("第2行" in e.reason for e in result.errors if e.row == 4 and e.column == "评分项代码")
    # Nothing written: the scheme of the setup stands.
    assert list(Aspect.objects.filter(section__project=m.project).values_list("code", flat=True)) == [
        "A1",
        "A2",
    ]


def test_a_missing_or_unknown_column_is_named(bureau_officer):
    m = make_marked(bureau_officer, entries=0)
    content = _xlsx(
        [["M1", "车削", "M1.1", "外圆", 10]],
        header=["模块代码", "模块名称", "评分项代码", "评分项描述", "满分"],
    )
    result = scheme_xlsx.scheme_import(
        project=m.project, actor=m.organiser_user, filename="s.xlsx", content=content
    )
    assert {(e.row, e.column, e.reason) for e in result.errors} == {
        (1, "满分", "未知列名"),
        (1, "评分方式", "缺少必填列"),
        (1, "分值", "缺少必填列"),
    }


def test_only_the_organiser_imports(bureau_officer, enterprise_user):
    m = make_marked(bureau_officer, entries=0)
    with pytest.raises(PermissionDenied):
        scheme_xlsx.scheme_import(
            project=m.project, actor=enterprise_user, filename="s.xlsx", content=_xlsx([])
        )
