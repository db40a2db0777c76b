"""Issue 4 item 9: an initiator files an alliance without a research institute and sees the error, adds
one and files; a bureau officer accepts; the initiator submits a half-year report and downloads Annex 2,
whose totals equal the sum of its rows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from skillcity.accounts.models import Role
from skillcity.registry.models import OrganisationCategory
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.factories import IndustryFactory, OrganisationFactory, TownFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(browser, live_server, username: str, *, width: int = 1280):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": width, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def _add_member(page, name: str) -> None:
    page.get_by_role("link", name="添加成员单位").click()
    page.fill("input[name=q]", name)
    page.click("form[method=get] button[type=submit]")
    page.locator("[data-testid=search-results] tr", has_text=name).locator("button", has_text="加入").click()
    page.wait_for_selector(f"text=已加入成员单位 {name}")


def _fill_annex1(page, name: str) -> None:
    page.locator("[data-testid=member-table] tr", has_text=name).locator("a", has_text="去填报").click()
    page.click("[data-testid=annex1-save]")
    page.wait_for_selector(f"text=已保存 {name} 的成员单位登记表")


def test_an_alliance_is_filed_accepted_and_reports_with_annex2_totals_that_add_up(
    browser, live_server, tmp_path
):
    changan = TownFactory(name="长安镇")
    industry = IndustryFactory(code="browser_electronics", name="浏览器电子信息")
    school = OrganisationFactory(
        town=changan,
        category=OrganisationCategory.TRAINING_INSTITUTION,
        industry=industry,
        name="东莞市长安技能培训学校",
        total_staff=45,
        managers=5,
        level2_count=4,
    )
    lead = OrganisationFactory(
        town=changan,
        industry=industry,
        name="东莞市长安领先电子有限公司",
        total_staff=620,
        managers=50,
        title_senior=6,
        level3_count=80,
        level4_count=120,
        general_workers=300,
    )
    OrganisationFactory(
        town=changan,
        industry=industry,
        name="东莞市长安配套电子有限公司",
        total_staff=150,
        managers=12,
        level5_count=40,
        general_workers=90,
    )
    OrganisationFactory(
        town=changan,
        category=OrganisationCategory.RESEARCH_INSTITUTE,
        industry=industry,
        name="东莞长安电子技术研究院",
        total_staff=35,
        managers=4,
        title_senior=10,
    )
    UserFactory(
        username="school", role=Role.ORGANISATION_USER, organisation=school, display_name="培训学校 经办人"
    )
    UserFactory(username="bureau", role=Role.BUREAU_OFFICER, display_name="市人社局 科员")
    charter = tmp_path / "联盟章程.pdf"
    charter.write_bytes(b"%PDF-1.4\n% charter signed by all members\n")
    agreement = tmp_path / "合作协议.pdf"
    agreement.write_bytes(b"%PDF-1.4\n% cooperation agreement\n")

    # --- the initiator drafts the alliance without a research institute --------------------------
    context, page = _login(browser, live_server, "school")
    page.goto(f"{live_server.url}/alliances/")
    page.get_by_role("link", name="发起联盟").click()
    page.fill("#id_name", "东莞市浏览器电子职业培训联盟")
    page.select_option("#id_industry", label="浏览器电子信息")
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=alliance-status]")
    _add_member(page, "东莞市长安领先电子有限公司")
    _add_member(page, "东莞市长安配套电子有限公司")
    page.locator("[data-testid=member-table] tr", has_text=lead.name).locator(
        "button", has_text="设为承担主体"
    ).click()
    page.wait_for_selector(f"text=已指定承担主体 {lead.name}")
    for kind, path in (("charter", charter), ("cooperation_agreement", agreement)):
        page.select_option("select[name=kind]", kind)
        page.set_input_files("input[name=file]", str(path))
        page.click("form[enctype='multipart/form-data'] button[type=submit]")
        page.wait_for_selector(f"text=已上传 {path.name}")
    for name in ("东莞市长安技能培训学校", "东莞市长安领先电子有限公司", "东莞市长安配套电子有限公司"):
        _fill_annex1(page, name)

    page.click("[data-testid=file-button]")
    errors = page.inner_text("#filing-errors")
    assert "缺少可提供职业能力开发及理论研究和技术支持的科研机构" in errors
    assert page.inner_text("[data-testid=alliance-status]") == "草稿"
    screenshot(page, "alliance-filing-error")

    # --- adds a research institute and files --------------------------------------------------------
    _add_member(page, "东莞长安电子技术研究院")
    _fill_annex1(page, "东莞长安电子技术研究院")
    page.click("[data-testid=file-button]")
    page.wait_for_selector("text=已向市人社局备案，等待审核")
    assert page.inner_text("[data-testid=alliance-status]") == "已备案待审核"
    alliance_url = page.url

    # --- the bureau accepts --------------------------------------------------------------------------
    bureau_context, bureau = _login(browser, live_server, "bureau")
    bureau.goto(f"{live_server.url}/alliances/")
    assert "备案待审核" in bureau.inner_text("[data-testid=alliance-table]")
    bureau.get_by_role("link", name="东莞市浏览器电子职业培训联盟").click()
    bureau.click("[data-testid=accept-button]")
    bureau.wait_for_selector("text=备案已审核通过，联盟进入运行")
    assert bureau.inner_text("[data-testid=alliance-status]") == "运行中"
    screenshot(bureau, "alliance-accepted")
    bureau_context.close()

    # --- the initiator submits a half-year report and downloads Annex 2 ---------------------------
    page.goto(alliance_url)
    page.click("[data-testid=report-create]")
    page.wait_for_selector("[data-testid=annex3-form]")
    page.fill(f"input[name=l{lead.pk}_trained]", "120")
    page.fill(f"input[name=l{lead.pk}_trained_level3]", "40")
    page.fill(f"input[name=l{school.pk}_trained]", "60")
    page.click("[data-testid=annex3-save]")
    page.wait_for_selector("text=已保存工作进展情况表（附件3）")
    page.fill("#id_contact_person", "李联络")
    page.fill("#id_contact_phone", "0769-85551234")
    if page.locator("#id_year_end_summary").count():
        page.fill("#id_year_end_summary", "全年联盟成员单位开展培训180人次。")
    page.click("[data-testid=report-submit]")
    page.wait_for_selector("text=半年度报告")
    assert page.inner_text("[data-testid=report-status]") == "已报送"
    assert "适用政策" in page.inner_text("[data-testid=policy-label]")
    screenshot(page, "alliance-report")
    with page.expect_download() as download_info:
        page.click("[data-testid=annex2-download]")
    sheet = load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes())).worksheets[0]
    assert sheet["A2"].value == "职业培训联盟基本情况表"
    total_row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(row=r, column=2).value == "合计")
    member_rows = [
        r
        for r in range(total_row + 1, sheet.max_row + 1)
        if isinstance(sheet.cell(row=r, column=1).value, int)
    ]
    assert len(member_rows) == 4
    for column in range(3, 15):
        assert sheet.cell(row=total_row, column=column).value == sum(
            sheet.cell(row=r, column=column).value for r in member_rows
        )
    assert sheet.cell(row=total_row, column=3).value == 45 + 620 + 150 + 35

    # --- the same pages at a phone's width ---------------------------------------------------------
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(alliance_url)
    screenshot(page, "alliance-detail-phone")
    page.goto(f"{live_server.url}/alliances/")
    screenshot(page, "alliance-list-phone")
    context.close()
