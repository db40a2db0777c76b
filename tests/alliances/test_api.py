"""/api/v1/alliances/: the whole flow through the API with bearer tokens, and its errors in the one shape."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from skillcity.alliances.models import AllianceStatus, Membership
from tests.factories import make_uscc

BASE = "/api/v1/alliances/"


def _auth(user) -> dict[str, str]:
    from skillcity.accounts.services import token_create

    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='test', actor=user)[1]}"}


@pytest.fixture
def as_initiator(initiator_user):
    return _auth(initiator_user)


@pytest.fixture
def as_bureau(bureau_officer):
    return _auth(bureau_officer)


def test_the_whole_flow_through_the_api(
    client, as_initiator, as_bureau, electronics, research_institute, lead_enterprise, enterprise
):
    response = client.post(
        BASE,
        {"name": "API职业培训联盟", "industry": "test_electronics"},
        content_type="application/json",
        **as_initiator,
    )
    assert response.status_code == 201, response.content
    alliance = response.json()
    pk = alliance["id"]
    assert alliance["status"] == "draft" and len(alliance["members"]) == 1
    for organisation in (lead_enterprise, enterprise):
        assert (
            client.post(
                f"{BASE}{pk}/members",
                {"organisation_id": organisation.pk},
                content_type="application/json",
                **as_initiator,
            ).status_code
            == 201
        )
    lead = Membership.objects.get(alliance_id=pk, organisation=lead_enterprise)
    assert client.post(f"{BASE}{pk}/members/{lead.pk}/lead", **as_initiator).json()["is_lead"] is True
    for kind in ("charter", "cooperation_agreement"):
        upload = io.BytesIO(b"%PDF-1.4 document")
        upload.name = f"{kind}.pdf"
        response = client.post(f"{BASE}{pk}/documents", {"kind": kind, "file": upload}, **as_initiator)
        assert response.status_code == 201, response.content
        assert len(response.json()["sha256"]) == 64
    for membership in Membership.objects.filter(alliance_id=pk):
        assert (
            client.put(
                f"{BASE}{pk}/members/{membership.pk}/annex1",
                {},
                content_type="application/json",
                **as_initiator,
            ).status_code
            == 200
        )

    # No research institute: 400 in the one error shape, naming what is missing.
    response = client.post(f"{BASE}{pk}/file", **as_initiator)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "filing_incomplete" and set(body) == {"code", "message", "fields"}
    assert body["fields"]["members"] == ["缺少可提供职业能力开发及理论研究和技术支持的科研机构"]

    membership = client.post(
        f"{BASE}{pk}/members",
        {"organisation_id": research_institute.pk},
        content_type="application/json",
        **as_initiator,
    ).json()
    client.put(
        f"{BASE}{pk}/members/{membership['id']}/annex1",
        {"total_staff": 30},
        content_type="application/json",
        **as_initiator,
    )
    assert client.post(f"{BASE}{pk}/file", **as_initiator).json()["status"] == "filed"
    assert client.post(f"{BASE}{pk}/accept", **as_initiator).status_code == 403
    assert client.post(f"{BASE}{pk}/accept", **as_bureau).json()["status"] == "active"

    periods = client.get(f"{BASE}{pk}/reports", **as_initiator).json()
    current = periods[0]["period"]
    response = client.post(
        f"{BASE}{pk}/reports", {"period": current}, content_type="application/json", **as_initiator
    )
    assert response.status_code == 201
    lines = [
        {"organisation_id": lead_enterprise.pk, "trained": 50, "trained_level3": 20},
        {"organisation_id": enterprise.pk, "trained": 30, "trained_general": 30},
    ]
    summary = "年终总结" if current.endswith("H2") else ""
    response = client.post(
        f"{BASE}{pk}/reports/{current}/submit",
        {
            "contact_person": "王联络",
            "contact_phone": "13800138000",
            "year_end_summary": summary,
            "lines": lines,
        },
        content_type="application/json",
        **as_initiator,
    )
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["status"] == "submitted" and report["annex3"]["total"]["trained"] == 80
    assert "D000 已于2021-12-31失效" in report["policy_label"]

    annex2 = client.get(f"{BASE}{pk}/reports/{current}/annex2", **as_bureau).json()
    assert annex2["snapshot"] is True
    assert annex2["total"]["total_staff"] == sum(g["subtotal"]["total_staff"] for g in annex2["groups"])
    download = client.get(f"{BASE}{pk}/reports/{current}/annex2.xlsx", **as_bureau)
    assert download.status_code == 200
    assert load_workbook(io.BytesIO(download.content)).worksheets[0]["A2"].value == "职业培训联盟基本情况表"
    assert (
        client.post(
            f"{BASE}{pk}/reports/{current}/return",
            {"reason": ""},
            content_type="application/json",
            **as_bureau,
        ).status_code
        == 400
    )
    assert client.post(f"{BASE}{pk}/reports/{current}/accept", **as_bureau).json()["status"] == "accepted"
    history = client.get(f"{BASE}{pk}/history", **as_bureau).json()
    assert {"create", "file", "accept", "report_submit", "report_accept"} <= {e["action"] for e in history}
    rows = client.get(BASE, **as_bureau).json()
    assert rows[0]["lead_enterprise"] == lead_enterprise.name and rows[0]["member_count"] == 4


def test_an_enterprise_user_cannot_initiate(client, member_user, electronics):
    response = client.post(
        BASE,
        {"name": "联盟", "industry": "test_electronics"},
        content_type="application/json",
        **_auth(member_user),
    )
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_bad_input_is_named(client, as_initiator, electronics, make_alliance):
    response = client.post(
        BASE, {"name": "联盟", "industry": "nope"}, content_type="application/json", **as_initiator
    )
    assert response.status_code == 400 and response.json()["fields"] == {"industry": ["未知产业"]}
    response = client.post(
        BASE, {"industry": "test_electronics"}, content_type="application/json", **as_initiator
    )
    assert response.status_code == 422 and "name" in response.json()["fields"]
    alliance = make_alliance()
    response = client.post(
        f"{BASE}{alliance.pk}/reports", {"period": "2024Q1"}, content_type="application/json", **as_initiator
    )
    assert response.json()["fields"] == {"period": ["格式应为 2024H1"]}


def test_registering_a_new_member_needs_its_licence(client, as_initiator, make_alliance):
    alliance = make_alliance(until="draft")
    data = {
        "name": "东莞市API新企业有限公司",
        "category": "enterprise",
        "uscc": make_uscc(),
        "town": "长安镇",
        "industry": "test_electronics",
    }
    response = client.post(f"{BASE}{alliance.pk}/members/register", data, **as_initiator)
    assert response.status_code == 400 and response.json()["code"] == "licence_required"
    licence = io.BytesIO(b"\x89PNG licence scan")
    licence.name = "licence.png"
    response = client.post(
        f"{BASE}{alliance.pk}/members/register", {**data, "business_licence": licence}, **as_initiator
    )
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "东莞市API新企业有限公司"


def test_annex1_through_the_api_names_inconsistent_fields(client, make_alliance, member_user, enterprise):
    alliance = make_alliance()
    membership = Membership.objects.get(alliance=alliance, organisation=enterprise)
    response = client.put(
        f"{BASE}{alliance.pk}/members/{membership.pk}/annex1",
        {"total_staff": 500, "managers": 509},
        content_type="application/json",
        **_auth(member_user),
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"managers": ["管理人员（509）不能超过职工总数（500）"]}


def test_an_annex3_upload_through_the_api_lists_bad_cells(
    client, make_alliance, as_initiator, lead_enterprise
):
    alliance = make_alliance()
    client.post(
        f"{BASE}{alliance.pk}/reports", {"period": "2024H1"}, content_type="application/json", **as_initiator
    )
    sheet_bytes = client.get(f"{BASE}{alliance.pk}/reports/2024H1/annex3.xlsx", **as_initiator).content
    workbook = load_workbook(io.BytesIO(sheet_bytes))
    sheet = workbook.worksheets[0]
    row = next(
        r
        for r in range(7, sheet.max_row + 1)
        if str(sheet.cell(row=r, column=2).value).startswith(lead_enterprise.name)
    )
    sheet[f"C{row}"] = "abc"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "annex3.xlsx"
    response = client.post(
        f"{BASE}{alliance.pk}/reports/2024H1/annex3/upload", {"file": buffer}, **as_initiator
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {f"C{row}": ["当期培训：应为不小于0的整数"]}


def test_scoped_lookups_through_the_api(client, make_alliance, humen_officer, outsider_user, changan_officer):
    alliance = make_alliance()
    for user in (humen_officer, outsider_user):
        response = client.get(f"{BASE}{alliance.pk}", **_auth(user))
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get(f"{BASE}{alliance.pk}", **_auth(changan_officer)).status_code == 200
    response = client.post(
        f"{BASE}{alliance.pk}/dissolve",
        {"reason": "x"},
        content_type="application/json",
        **_auth(changan_officer),
    )
    assert response.status_code == 403
    alliance.refresh_from_db()
    assert alliance.status == AllianceStatus.ACTIVE


def test_statistics_through_the_api(client, make_alliance, as_bureau):
    make_alliance()
    stats = client.get(f"{BASE}statistics", **as_bureau).json()
    by_category = {m["category"]: m["count"] for m in stats["members_by_category"]}
    assert by_category["enterprise"] == 2 and by_category["research_institute"] == 1
    assert stats["member_total"] == 4
