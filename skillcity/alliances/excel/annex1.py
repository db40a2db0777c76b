"""附件1 职业培训联盟成员单位登记表: one sheet per member, in the form's layout; upload reads it back."""

from __future__ import annotations

import datetime
from typing import Any

from skillcity.alliances.annexes import ANNEX1_FIELDS
from skillcity.alliances.excel.layout import (
    BOLD_FONT,
    LEFT,
    TITLE_FONT,
    CellError,
    cell_text,
    date_line,
    new_sheet,
    open_sheet,
    put,
    save,
    upload_error,
    widths,
)
from skillcity.alliances.models import MemberRole, Membership
from skillcity.registry.models import STAFF_COUNT_FIELDS
from skillcity.registry.validation import ReferenceCache, clean_organisation

TITLE = "职业培训联盟成员单位登记表"
COUNT_ROW = 12
# field → (cell, label as the form prints it)
CELLS: dict[str, tuple[str, str]] = {
    "address": ("C7", "地址"),
    "postcode": ("K7", "邮编"),
    "email": ("C8", "电子邮箱"),
    "legal_representative": ("G8", "法定代表人"),
    "contact_person": ("K8", "联系人"),
    "office_phone": ("C9", "办公电话"),
    "mobile": ("G9", "手机"),
    "fax": ("K9", "传真"),
    "total_staff": (f"A{COUNT_ROW}", "职工总数"),
    "managers": (f"B{COUNT_ROW}", "其中管理人员"),
    "title_senior": (f"C{COUNT_ROW}", "专业技术职称·高级"),
    "title_intermediate": (f"D{COUNT_ROW}", "专业技术职称·中级"),
    "title_junior": (f"E{COUNT_ROW}", "专业技术职称·初级"),
    "level1_count": (f"F{COUNT_ROW}", "职业技能等级·高级技师"),
    "level2_count": (f"G{COUNT_ROW}", "职业技能等级·技师"),
    "level3_count": (f"H{COUNT_ROW}", "职业技能等级·高级工"),
    "level4_count": (f"I{COUNT_ROW}", "职业技能等级·中级工"),
    "level5_count": (f"J{COUNT_ROW}", "职业技能等级·初级工"),
    "special_ability_count": (f"K{COUNT_ROW}", "职业技能等级·专项能力"),
    "general_workers": (f"L{COUNT_ROW}", "普工"),
    "profile": ("C13", "单位简介"),
}
USCC_CELL = "C14"
assert set(CELLS) == set(ANNEX1_FIELDS)


def annex1_workbook(
    membership: Membership, *, filled_on: datetime.date | None = None, full_mobile: bool = False
) -> bytes:
    """The form as D000 lays it out. The contact mobile is masked unless `full_mobile` (the caller
    audits that full view); a masked mobile uploaded back leaves the stored one unchanged."""
    o = membership.organisation
    workbook, sheet = new_sheet("附件1")
    widths(sheet, [11, 12, 9, 9, 9, 10, 9, 9, 9, 9, 10, 11])
    put(sheet, "A1", "附件1", border=False, align=LEFT)
    put(sheet, "A2", TITLE, merge_to="L2", font=TITLE_FONT, border=False)
    sheet.row_dimensions[2].height = 30
    put(sheet, "A3", f"填报单位：（盖章）{o.name}", merge_to="G3", align=LEFT, border=False)
    put(sheet, "H3", f"填表日期：{date_line(filled_on)}", merge_to="L3", align=LEFT, border=False)
    put(
        sheet,
        "A4",
        "说明：职业培训联盟的每个成员单位必须填报本表，以作备案。",
        merge_to="L4",
        align=LEFT,
        border=False,
    )
    put(sheet, "A5", "所属联盟", merge_to="B5")
    put(sheet, "C5", membership.alliance.name, merge_to="L5", align=LEFT)
    initiator = membership.role == MemberRole.INITIATOR
    put(sheet, "A6", "本单位在联盟中的类别", merge_to="B6")
    put(
        sheet,
        "C6",
        f"{'☑' if initiator else '□'}职业培训联盟发起单位    {'□' if initiator else '☑'}职业培训联盟成员单位",
        merge_to="L6",
        align=LEFT,
    )
    put(sheet, "A7", "地址", merge_to="B7")
    put(sheet, "C7", o.address, merge_to="H7", align=LEFT)
    put(sheet, "I7", "邮编", merge_to="J7")
    put(sheet, "K7", o.postcode, merge_to="L7")
    put(sheet, "A8", "电子邮箱", merge_to="B8")
    put(sheet, "C8", o.email, merge_to="E8", align=LEFT)
    put(sheet, "F8", "法定代表人")
    put(sheet, "G8", o.legal_representative, merge_to="H8")
    put(sheet, "I8", "联系人", merge_to="J8")
    put(sheet, "K8", o.contact_person, merge_to="L8")
    put(sheet, "A9", "办公电话", merge_to="B9")
    put(sheet, "C9", o.office_phone, merge_to="E9")
    put(sheet, "F9", "手机")
    put(sheet, "G9", o.mobile if full_mobile else o.mobile_masked, merge_to="H9")
    put(sheet, "I9", "传真", merge_to="J9")
    put(sheet, "K9", o.fax, merge_to="L9")
    put(sheet, "A10", "职工总数（人）", merge_to="A11", font=BOLD_FONT)
    put(sheet, "B10", "其中管理人员（人）", merge_to="B11", font=BOLD_FONT)
    put(sheet, "C10", "专业技术职称（人）", merge_to="E10", font=BOLD_FONT)
    put(sheet, "F10", "职业技能等级（人）", merge_to="K10", font=BOLD_FONT)
    put(sheet, "L10", "普工（人）", merge_to="L11", font=BOLD_FONT)
    for col, label in zip(
        "CDEFGHIJK",
        ["高级", "中级", "初级", "高级技师", "技师", "高级工", "中级工", "初级工", "专项能力"],
        strict=True,
    ):
        put(sheet, f"{col}11", label, font=BOLD_FONT)
    sheet.row_dimensions[10].height = 30
    sheet.row_dimensions[11].height = 30
    for name in STAFF_COUNT_FIELDS:
        put(sheet, CELLS[name][0], int(getattr(o, name)))
    put(sheet, "A13", "单位简介（可另附）", merge_to="B13")
    put(sheet, "C13", o.profile, merge_to="L13", align=LEFT)
    sheet.row_dimensions[13].height = 80
    put(sheet, "A14", "统一社会信用代码", merge_to="B14")
    put(sheet, USCC_CELL, o.uscc, merge_to="L14", align=LEFT)
    return save(workbook)


def annex1_read(content: bytes, membership: Membership) -> dict[str, Any]:
    """The Annex 1 values of an uploaded form, checked cell by cell; raises listing every bad cell."""
    sheet = open_sheet(content, title=TITLE)
    errors: list[CellError] = []
    uscc = cell_text(sheet[USCC_CELL].value).upper()
    if uscc and uscc != membership.organisation.uscc:
        errors.append(
            CellError(
                USCC_CELL,
                "统一社会信用代码",
                f"表格属于另一单位（{uscc}），本单位为 {membership.organisation.uscc}",
            )
        )
    data = {name: cell_text(sheet[cell].value) for name, (cell, _label) in CELLS.items()}
    if "*" in data.get("mobile", ""):
        # The download shows the mobile masked: a masked value back means "unchanged".
        del data["mobile"]
    cleaned = clean_organisation(data, refs=ReferenceCache(), instance=membership.organisation, partial=True)
    for name, reason in cleaned.errors.items():
        cell, label = CELLS.get(name, ("", name))
        errors.append(CellError(cell, label, reason))
    if errors:
        raise upload_error(errors)
    return data
