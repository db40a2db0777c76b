"""The three forms as .xlsx in D000's layouts, and filled forms uploaded back: validated cell by cell,
every bad cell listed, applied whole or not at all."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from skillcity.alliances import services
from skillcity.alliances.downloads import annex1_download, annex2_download, annex3_download
from skillcity.alliances.excel.annex2 import TOTAL_ROW
from skillcity.alliances.models import Membership, ReportLine
from skillcity.core.errors import DomainError
from skillcity.core.periods import HalfYear
from skillcity.registry.models import Organisation

TODAY = datetime.date(2026, 11, 23)


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).worksheets[0]


def _save(sheet) -> bytes:
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    return buffer.getvalue()


def _rows(sheet, first: int = TOTAL_ROW):
    """(label, values C…) for the table rows, up to the footer."""
    rows = []
    for row in range(first, sheet.max_row + 1):
        label = sheet.cell(row=row, column=2).value
        if label is None:
            break
        rows.append(
            (
                sheet.cell(row=row, column=1).value,
                str(label),
                [sheet.cell(row=row, column=c).value for c in range(3, 3 + 12)],
            )
        )
    return rows


@pytest.fixture
def report(make_alliance, initiator_user, lead_enterprise, enterprise, research_institute):
    alliance = make_alliance()
    report = services.report_create(
        alliance=alliance, period=HalfYear(2024, 1), actor=initiator_user, on=TODAY
    )
    services.report_lines_update(
        report=report,
        actor=initiator_user,
        lines={
            lead_enterprise.pk: {
                "trained": 120,
                "trained_level3": 30,
                "trained_level4": 50,
                "new_occupations": 1,
            },
            enterprise.pk: {"trained": 40, "trained_general": 10},
            research_institute.pk: {"trained": 15},
        },
    )
    return report


# --- Annex 2 --------------------------------------------------------------------------------------


def test_annex2_has_the_official_title_headers_and_groups(report, initiator_user):
    services.report_submit(
        report=report, actor=initiator_user, contact_person="王联络", contact_phone="0769-85550000"
    )
    report.refresh_from_db()
    sheet = _sheet(annex2_download(report.alliance, report, viewer=initiator_user))
    assert sheet["A2"].value == "职业培训联盟基本情况表"
    assert sheet["A3"].value == f"填写单位：{report.alliance.name}"
    assert sheet["I3"].value.startswith("填报日期：")
    assert [sheet[c].value for c in ("A4", "B4", "C4", "D4", "D5", "E5", "H5", "N5")] == [
        "序号",
        "类别及名称",
        "职工总数（人）",
        "其中",
        "管理人员（人）",
        "专业技术职称（人）",
        "职业技能等级（人）",
        "普工（人）",
    ]
    assert [sheet.cell(row=6, column=c).value for c in range(5, 14)] == [
        "高级",
        "中级",
        "初级",
        "高级技师",
        "技师",
        "高级工",
        "中级工",
        "初级工",
        "专项职业能力",
    ]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A2:N2", "A4:A6", "B4:B6", "C4:C6", "D4:N4", "D5:D6", "E5:G5", "H5:M5", "N5:N6"} <= merged
    rows = _rows(sheet)
    assert rows[0][1] == "合计"
    groups = [label for seq, label, _ in rows if seq is None and label != "合计"]
    assert groups == [
        "一、企业（小计）",
        "二、职业院校（小计）",
        "三、技工院校（小计）",
        "四、职业培训机构（小计）",
        "五、科研机构（小计）",
        "六、行业协会（小计）",
        "七、其他（小计）",
    ]
    footer = [str(sheet.cell(row=r, column=1).value or "") for r in range(1, sheet.max_row + 1)]
    assert any(v == "填报联系人：王联络" for v in footer)
    assert any(
        str(sheet.cell(row=r, column=9).value or "") == "联系电话：0769-85550000"
        for r in range(1, sheet.max_row + 1)
    )
    assert any("D000 已于2021-12-31失效" in v for v in footer)


def test_annex2_totals_equal_the_sum_of_its_rows(report):
    sheet = _sheet(annex2_download(report.alliance, report))
    rows = _rows(sheet)
    total = rows[0][2]
    members = [values for seq, _label, values in rows if isinstance(seq, int)]
    assert total == [sum(col) for col in zip(*members, strict=True)]
    # and each subtotal is the sum of the member rows under it
    groups: list[tuple[list[int], list[list[int]]]] = []
    for seq, _label, values in rows[1:]:
        if seq is None:
            groups.append((values, []))
        else:
            groups[-1][1].append(values)
    assert len(groups) == 7
    for subtotal, under in groups:
        assert subtotal == [sum(col) for col in zip(*under, strict=True)] if under else set(subtotal) == {0}
    org_total = sum(
        Organisation.objects.filter(alliance_memberships__alliance=report.alliance).values_list(
            "total_staff", flat=True
        )
    )
    assert total[0] == org_total


# --- Annex 3 --------------------------------------------------------------------------------------


def test_annex3_has_the_official_layout_and_totals(report):
    sheet = _sheet(annex3_download(report))
    assert sheet["A2"].value == "职业培训联盟工作进展情况表"
    assert sheet["I3"].value == "2024 年 上 半年度"
    assert [sheet[c].value for c in ("C4", "D4", "D5", "K4", "L4", "M4")] == [
        "当期培训（人）",
        "其中",
        "当期组织企业职工开展职业技能等级培训（人）",
        "当期申报新职业（工种）（个）",
        "当期申报专项职业能力（个）",
        "当期加盟成员单位（个）",
    ]
    assert [sheet.cell(row=6, column=c).value for c in range(4, 11)] == [
        "普工（人）",
        "高级技师",
        "技师",
        "高级工",
        "中级工",
        "初级工",
        "专项职业能力",
    ]
    assert {"D4:J4", "D5:J5", "K4:K6"} <= {str(r) for r in sheet.merged_cells.ranges}
    rows = _rows(sheet)
    assert rows[0][1] == "合计" and rows[0][2][0] == 175
    assert [label for seq, label, _ in rows if seq is None][2] == "二、职业院校（小计）"
    texts = [str(sheet.cell(row=r, column=1).value or "") for r in range(1, sheet.max_row + 1)]
    assert any(t.startswith("填报说明：本表以半年为统计期限") for t in texts)


def _bad_annex3(report, edits: dict[str, object]) -> bytes:
    sheet = _sheet(annex3_download(report))
    for cell, value in edits.items():
        sheet[cell] = value
    return _save(sheet)


def _member_row(sheet, name: str) -> int:
    return next(
        r
        for r in range(TOTAL_ROW, sheet.max_row + 1)
        if str(sheet.cell(row=r, column=2).value).startswith(name)
    )


def test_an_annex3_upload_updates_every_line(report, initiator_user, enterprise):
    sheet = _sheet(annex3_download(report))
    row = _member_row(sheet, enterprise.name)
    sheet[f"C{row}"] = 60
    sheet[f"G{row}"] = 25
    sheet[f"C{TOTAL_ROW}"] = 99999  # typed totals are ignored: they are computed
    services.report_annex3_upload(report=report, content=_save(sheet), actor=initiator_user)
    line = ReportLine.objects.get(report=report, organisation=enterprise)
    assert (line.trained, line.trained_level3) == (60, 25)


def test_an_annex3_upload_with_bad_cells_lists_every_one_and_writes_nothing(
    report, initiator_user, enterprise, lead_enterprise
):
    sheet = _sheet(annex3_download(report))
    e_row, l_row = _member_row(sheet, enterprise.name), _member_row(sheet, lead_enterprise.name)
    before = list(
        ReportLine.objects.filter(report=report).values_list("organisation_id", "trained").order_by("id")
    )
    content = _bad_annex3(
        report, {f"C{e_row}": 60, f"D{e_row}": "很多", f"E{l_row}": -2, f"H{l_row}": 200, f"F{e_row}": 1.5}
    )
    with pytest.raises(DomainError) as error:
        services.report_annex3_upload(report=report, content=content, actor=initiator_user)
    fields = error.value.fields
    assert fields[f"D{e_row}"] == ["普工：应为不小于0的整数"]
    assert fields[f"F{e_row}"] == ["技师：应为不小于0的整数"]
    assert fields[f"E{l_row}"] == ["高级技师：应为不小于0的整数"]
    assert set(fields) == {f"D{e_row}", f"F{e_row}", f"E{l_row}"}
    assert error.value.code == "invalid_upload" and "3处错误" in str(error.value.message)
    after = list(
        ReportLine.objects.filter(report=report).values_list("organisation_id", "trained").order_by("id")
    )
    assert after == before
    # A level sum beyond 当期培训 is named on the 当期培训 cell.
    content = _bad_annex3(report, {f"H{l_row}": 500})
    with pytest.raises(DomainError) as error:
        services.report_annex3_upload(report=report, content=content, actor=initiator_user)
    assert error.value.fields == {
        f"C{l_row}": ["当期培训：各等级培训人数之和（530）不能超过当期培训人数（120）"]
    }


def test_an_annex3_upload_names_unknown_and_missing_members(report, initiator_user, enterprise):
    sheet = _sheet(annex3_download(report))
    row = _member_row(sheet, enterprise.name)
    sheet[f"N{row}"] = "91441900MA00000000"
    with pytest.raises(DomainError) as error:
        services.report_annex3_upload(report=report, content=_save(sheet), actor=initiator_user)
    assert "不是本期成员单位" in error.value.fields[f"N{row}"][0]
    assert any(enterprise.name in m for m in error.value.fields["file"])


def test_an_upload_that_is_not_the_form_is_refused(report, initiator_user):
    with pytest.raises(DomainError) as error:
        services.report_annex3_upload(report=report, content=b"not a workbook", actor=initiator_user)
    assert error.value.code == "invalid_file"
    annex1 = annex1_download(report.alliance.memberships.first())
    with pytest.raises(DomainError) as error:
        services.report_annex3_upload(report=report, content=annex1, actor=initiator_user)
    assert "不是《职业培训联盟工作进展情况表》" in str(error.value.message)


# --- Annex 1 --------------------------------------------------------------------------------------


def test_annex1_has_the_official_layout(make_alliance, lead_enterprise):
    alliance = make_alliance()
    membership = Membership.objects.get(alliance=alliance, organisation=lead_enterprise)
    sheet = _sheet(annex1_download(membership))
    assert sheet["A2"].value == "职业培训联盟成员单位登记表"
    assert sheet["A3"].value == f"填报单位：（盖章）{lead_enterprise.name}"
    assert sheet["A4"].value == "说明：职业培训联盟的每个成员单位必须填报本表，以作备案。"
    assert sheet["C5"].value == alliance.name
    assert (
        sheet["C6"].value.startswith("□职业培训联盟发起单位") and "☑职业培训联盟成员单位" in sheet["C6"].value
    )
    assert [sheet[c].value for c in ("A10", "B10", "C10", "F10", "L10")] == [
        "职工总数（人）",
        "其中管理人员（人）",
        "专业技术职称（人）",
        "职业技能等级（人）",
        "普工（人）",
    ]
    assert [sheet.cell(row=11, column=c).value for c in range(3, 12)] == [
        "高级",
        "中级",
        "初级",
        "高级技师",
        "技师",
        "高级工",
        "中级工",
        "初级工",
        "专项能力",
    ]
    assert [sheet.cell(row=12, column=c).value for c in range(1, 13)] == [
        500,
        40,
        5,
        20,
        30,
        3,
        12,
        60,
        90,
        80,
        15,
        200,
    ]
    assert {"C10:E10", "F10:K10", "A10:A11", "L10:L11"} <= {str(r) for r in sheet.merged_cells.ranges}


def test_an_annex1_upload_lists_every_bad_cell_and_writes_nothing(make_alliance, member_user, enterprise):
    alliance = make_alliance()
    membership = Membership.objects.get(alliance=alliance, organisation=enterprise)
    sheet = _sheet(annex1_download(membership))
    sheet["A12"] = 10  # total staff
    sheet["B12"] = 11  # managers > total
    sheet["C12"] = "三"  # not a number
    sheet["K7"] = "5230"  # postcode
    sheet["C8"] = "bad-mail"
    before = Organisation.objects.values().get(pk=enterprise.pk)
    with pytest.raises(DomainError) as error:
        services.member_annex1_upload(membership=membership, content=_save(sheet), actor=member_user)
    fields = error.value.fields
    assert list(fields) == ["K7", "C8", "B12", "C12", "L12"]  # row by row, left to right
    assert fields["B12"] == ["其中管理人员：管理人员（11）不能超过职工总数（10）"]
    assert fields["C12"] == ["专业技术职称·高级：应为不小于0的整数"]
    assert fields["K7"] == ["邮编：邮编应为6位数字"]
    assert Organisation.objects.values().get(pk=enterprise.pk) == before


def test_an_annex1_upload_updates_the_member(make_alliance, member_user, enterprise):
    alliance = make_alliance(until="draft", annex1=False)
    membership = Membership.objects.get(alliance=alliance, organisation=enterprise)
    sheet = _sheet(annex1_download(membership))
    sheet["A12"] = 130
    sheet["L12"] = 60
    sheet["K8"] = "赵联络"
    services.member_annex1_upload(membership=membership, content=_save(sheet), actor=member_user)
    enterprise.refresh_from_db()
    membership.refresh_from_db()
    assert (enterprise.total_staff, enterprise.general_workers, enterprise.contact_person) == (
        130,
        60,
        "赵联络",
    )
    assert membership.annex1_filled_at is not None


def test_an_annex1_of_another_organisation_is_refused(
    make_alliance, member_user, enterprise, lead_enterprise
):
    alliance = make_alliance()
    other = annex1_download(Membership.objects.get(alliance=alliance, organisation=lead_enterprise))
    with pytest.raises(DomainError) as error:
        services.member_annex1_upload(
            membership=Membership.objects.get(alliance=alliance, organisation=enterprise),
            content=other,
            actor=member_user,
        )
    assert "表格属于另一单位" in error.value.fields["C14"][0]


# --- formulas ---------------------------------------------------------------------------------------


def test_it_writes_member_fields_that_look_like_formulas_as_text(
    make_alliance, initiator_user, lead_enterprise, research_institute
):
    from tests.exports import AT, HYPERLINK, PLUS, assert_text_not_formula

    Organisation.objects.filter(pk=lead_enterprise.pk).update(name=PLUS, contact_person=HYPERLINK)
    Organisation.objects.filter(pk=research_institute.pk).update(name=AT)
    alliance = make_alliance()
    report = services.report_create(
        alliance=alliance, period=HalfYear(2024, 1), actor=initiator_user, on=TODAY
    )
    lead = Membership.objects.get(alliance=alliance, organisation=lead_enterprise)
    assert_text_not_formula(annex1_download(lead), HYPERLINK)
    assert_text_not_formula(annex2_download(alliance, None), AT)
    assert_text_not_formula(annex2_download(alliance, report), AT)
    assert_text_not_formula(annex3_download(report), AT)


def test_an_annex_upload_with_formula_cells_lists_every_one_and_writes_nothing(
    report, initiator_user, enterprise
):
    sheet = _sheet(annex3_download(report))
    row = _member_row(sheet, enterprise.name)
    sheet[f"C{row}"] = "=10*6"
    sheet[f"G{row}"] = "=C1"
    with pytest.raises(DomainError) as error:
        services.report_annex3_upload(report=report, content=_save(sheet), actor=initiator_user)
    assert error.value.code == "invalid_upload"
    assert error.value.fields == {
        f"C{row}": ["单元格：是公式，请改为直接填写数值"],
        f"G{row}": ["单元格：是公式，请改为直接填写数值"],
    }
    assert ReportLine.objects.get(report=report, organisation=enterprise).trained == 40
