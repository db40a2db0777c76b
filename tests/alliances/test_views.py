"""The pages: create, add members, file (with every missing item shown), Annex 1 and Annex 3 entry and
upload with their errors, submit, the bureau's decisions, downloads and the statistics page."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from skillcity.alliances.models import Alliance, AllianceStatus, HalfYearReport, Membership, ReportStatus
from tests.factories import make_uscc


def test_an_initiator_creates_an_alliance_from_the_page(client, initiator_user, electronics):
    client.force_login(initiator_user)
    assert client.get(reverse("alliances:alliance_create")).status_code == 200
    response = client.post(
        reverse("alliances:alliance_create"), {"name": "页面联盟", "industry": electronics.pk}
    )
    alliance = Alliance.objects.get(name="页面联盟")
    assert response["Location"] == reverse("alliances:alliance_detail", args=[alliance.pk])
    page = client.get(response["Location"]).content.decode()
    assert "页面联盟" in page and "向市人社局备案" in page


def test_an_enterprise_user_is_not_offered_to_initiate(client, member_user):
    client.force_login(member_user)
    assert "发起联盟" not in client.get(reverse("alliances:alliance_list")).content.decode()
    assert client.get(reverse("alliances:alliance_create")).status_code == 403


def test_filing_an_incomplete_alliance_shows_every_missing_item(client, make_alliance, initiator_user):
    alliance = make_alliance(until="draft", research=False, documents=False)
    client.force_login(initiator_user)
    response = client.post(reverse("alliances:alliance_file", args=[alliance.pk]))
    page = response.content.decode()
    assert response.status_code == 400
    assert "缺少可提供职业能力开发及理论研究和技术支持的科研机构" in page
    assert "未上传联盟章程" in page and "未上传合作协议" in page


def test_members_are_found_and_added_or_registered_with_a_licence(
    client, make_alliance, initiator_user, other_industry_enterprise
):
    alliance = make_alliance(until="draft")
    client.force_login(initiator_user)
    url = reverse("alliances:member_add", args=[alliance.pk])
    page = client.get(url, {"q": "精工"}).content.decode()
    assert other_industry_enterprise.name in page
    client.post(url, {"organisation": other_industry_enterprise.pk})
    assert Membership.objects.filter(alliance=alliance, organisation=other_industry_enterprise).exists()
    data = {
        "name": "东莞市页面新企业有限公司",
        "category": "enterprise",
        "uscc": make_uscc(),
        "town": "441900119000",
        "industry": "test_electronics",
    }
    response = client.post(url, data)
    assert "新登记单位须上传营业执照或法人登记证" in response.content.decode()
    licence = SimpleUploadedFile("licence.pdf", b"%PDF-1.4 licence", content_type="application/pdf")
    response = client.post(url, {**data, "business_licence": licence})
    assert response.status_code == 302
    assert Membership.objects.filter(
        alliance=alliance, organisation__name="东莞市页面新企业有限公司"
    ).exists()


def test_the_annex1_page_names_the_inconsistent_field(client, make_alliance, member_user, enterprise):
    alliance = make_alliance(until="draft")
    membership = Membership.objects.get(alliance=alliance, organisation=enterprise)
    client.force_login(member_user)
    url = reverse("alliances:member_annex1", args=[alliance.pk, membership.pk])
    response = client.post(url, {"total_staff": "10", "managers": "20"})
    page = response.content.decode()
    assert 'data-field="managers"' in page and "管理人员（20）不能超过职工总数（10）" in page
    response = client.post(url, {"total_staff": "200", "managers": "20", "general_workers": "100"})
    assert response.status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.total_staff == 200


def test_the_annex1_page_lists_every_bad_cell_of_an_upload(client, make_alliance, member_user, enterprise):
    alliance = make_alliance(until="draft")
    membership = Membership.objects.get(alliance=alliance, organisation=enterprise)
    client.force_login(member_user)
    content = client.get(reverse("alliances:member_annex1_xlsx", args=[alliance.pk, membership.pk])).content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    sheet["B12"] = 999
    sheet["D12"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("annex1.xlsx", buffer.getvalue())
    page = client.post(
        reverse("alliances:member_annex1", args=[alliance.pk, membership.pk]), {"file": upload}
    )
    text = page.content.decode()
    assert 'id="upload-errors"' in text and "<code>B12</code>" in text and "<code>D12</code>" in text


def test_a_report_is_entered_submitted_and_reviewed_through_the_pages(
    client, make_alliance, initiator_user, bureau_officer, lead_enterprise
):
    alliance = make_alliance()
    client.force_login(initiator_user)
    response = client.post(reverse("alliances:report_create", args=[alliance.pk]), {"period": "2024H1"})
    assert response["Location"] == reverse("alliances:report_detail", args=[alliance.pk, "2024H1"])
    url = response["Location"]
    page = client.get(url).content.decode()
    assert "附件3 职业培训联盟工作进展情况表" in page and "D000 已于2021-12-31失效" in page
    field = f"l{lead_enterprise.pk}_trained"
    response = client.post(url, {field: "10", f"l{lead_enterprise.pk}_trained_level4": "20"})
    assert response.status_code == 400 and "不能超过当期培训人数（10）" in response.content.decode()
    assert client.post(url, {field: "30", f"l{lead_enterprise.pk}_trained_level4": "20"}).status_code == 302
    response = client.post(
        reverse("alliances:report_submit", args=[alliance.pk, "2024H1"]),
        {"contact_person": "", "contact_phone": "12"},
    )
    assert response.status_code == 400 and "请填写填报联系人" in response.content.decode()
    client.post(
        reverse("alliances:report_submit", args=[alliance.pk, "2024H1"]),
        {"contact_person": "王联络", "contact_phone": "0769-85550000"},
    )
    report = HalfYearReport.objects.get(alliance=alliance)
    assert report.status == ReportStatus.SUBMITTED
    client.force_login(bureau_officer)
    no_reason = client.post(reverse("alliances:report_return", args=[alliance.pk, "2024H1"]), {"reason": ""})
    assert no_reason.status_code == 400
    assert no_reason.context["reason_form"].errors["reason"] == ["请填写“退回理由”"]
    assert 'id="error-reason"' in no_reason.content.decode()
    client.post(reverse("alliances:report_return", args=[alliance.pk, "2024H1"]), {"reason": "请核实"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    download = client.get(reverse("alliances:report_annex3_xlsx", args=[alliance.pk, "2024H1"]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    assert sheet["C7"].value == 30


def test_the_bureau_accepts_returns_and_dissolves_from_the_detail_page(client, make_alliance, bureau_officer):
    filed = make_alliance(until="filed")
    client.force_login(bureau_officer)
    page = client.get(reverse("alliances:alliance_detail", args=[filed.pk])).content.decode()
    assert "审核通过" in page and "退回理由" in page
    response = client.post(reverse("alliances:alliance_return", args=[filed.pk]), {"reason": ""})
    # No reason: nothing changed, and the page says so next to the reason's field, naming it.
    assert response.status_code == 400
    assert response.context["return_form"].errors["reason"] == ["请填写“退回理由”"]
    html = response.content.decode()
    assert 'id="error-reason"' in html and "请修正以下 1 处错误" in html and 'id="return-reason"' in html
    filed.refresh_from_db()
    assert filed.status == AllianceStatus.FILED
    client.post(reverse("alliances:alliance_accept", args=[filed.pk]))
    empty = client.post(reverse("alliances:alliance_dissolve", args=[filed.pk]), {"reason": " "})
    assert empty.status_code == 400
    assert empty.context["dissolve_form"].errors["reason"] == ["请填写“解散原因”"]
    assert "<details open>" in empty.content.decode()
    client.post(reverse("alliances:alliance_dissolve", args=[filed.pk]), {"reason": "合并到其他联盟"})
    filed.refresh_from_db()
    assert filed.status == AllianceStatus.DISSOLVED
    page = client.get(reverse("alliances:alliance_detail", args=[filed.pk])).content.decode()
    assert "合并到其他联盟" in page and "市人社局备案通过" in page


def test_the_bureaus_list_flags_missing_reports_and_filters_them(client, make_alliance, bureau_officer):
    alliance = make_alliance()
    client.force_login(bureau_officer)
    page = client.get(reverse("alliances:alliance_list"), {"overdue": "1"}).content.decode()
    assert alliance.name in page and "缺报" in page
    page = client.get(reverse("alliances:alliance_list"), {"status": "draft"}).content.decode()
    assert alliance.name not in page


def test_the_statistics_page_draws_its_chart_from_vendored_echarts(client, make_alliance, bureau_officer):
    make_alliance()
    client.force_login(bureau_officer)
    page = client.get(reverse("alliances:statistics")).content.decode()
    assert "/static/vendor/echarts.min.js" in page and 'id="trained-data"' in page
    assert "运行中联盟的成员单位（按类别）" in page


def test_a_document_upload_says_what_is_wrong_next_to_the_kind_and_the_file(
    client, make_alliance, initiator_user
):
    draft = make_alliance(until="draft", documents=False)
    client.force_login(initiator_user)
    url = reverse("alliances:document_upload", args=[draft.pk])
    nothing = client.post(url, {"kind": ""})
    html = nothing.content.decode()
    assert nothing.status_code == 400
    errors = nothing.context["document_form"].errors
    assert errors["kind"] == ["请选择“材料类别”"] and errors["file"] == ["请上传“文件”"]
    assert 'id="error-kind"' in html and 'id="error-file"' in html and "请修正以下 2 处错误" in html
    # The service's judgement of the file (its type) lands on the file's field.
    wrong = client.post(url, {"kind": "charter", "file": SimpleUploadedFile("章程.exe", b"MZ\x90\x00binary")})
    assert wrong.status_code == 400
    assert wrong.context["document_form"].errors["file"][0].startswith("文件类型不受支持（")
    assert not draft.documents.exists()
    ok = client.post(url, {"kind": "charter", "file": SimpleUploadedFile("章程.pdf", b"%PDF-1.4 charter")})
    assert ok.status_code == 302 and draft.documents.count() == 1
