"""A report's contact phone: in full to the initiator, audited in full to officers, masked for the
other members (API, page downloads, .xlsx)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from skillcity.accounts.services import token_create
from skillcity.alliances import services
from skillcity.core.models import AuditEvent
from skillcity.core.periods import HalfYear

pytestmark = pytest.mark.django_db
PHONE = "13712345678"
MASKED = "137****5678"


@pytest.fixture
def report(make_alliance, initiator_user):
    alliance = make_alliance()
    report = services.report_create(alliance=alliance, period=HalfYear(2024, 1), actor=initiator_user)
    report.contact_phone = PHONE
    report.save(update_fields=["contact_phone"])
    return report


def _api(client, user, report) -> dict:
    token = token_create(user=user, name="t", actor=user)[1]
    url = f"/api/v1/alliances/{report.alliance_id}/reports/{report.period}"
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    return response.json()


def _cells(content: bytes) -> list[str]:
    return [
        str(c.value)
        for ws in load_workbook(io.BytesIO(content))
        for row in ws.iter_rows()
        for c in row
        if c.value
    ]


def _views():
    return AuditEvent.objects.filter(action="personal_data.view", after__field="contact_phone")


def test_another_member_sees_the_phone_masked_everywhere(client, report, member_user):
    assert _api(client, member_user, report)["contact_phone"] == MASKED
    client.force_login(member_user)
    base = f"/alliances/{report.alliance_id}/reports/{report.period}"
    annex3 = client.get(f"{base}/annex3.xlsx")
    annex2 = client.post(f"{base}/annex2.xlsx")
    for response in (annex2, annex3):
        assert response.status_code == 200
        cells = " ".join(_cells(response.content))
        assert PHONE not in cells and MASKED in cells
    assert not _views().exists()


def test_the_initiator_sees_its_own_phone_without_an_audit_row(client, report, initiator_user):
    assert _api(client, initiator_user, report)["contact_phone"] == PHONE
    assert not _views().exists()


def test_an_officer_sees_it_in_full_and_the_view_is_audited(client, report, bureau_officer):
    assert _api(client, bureau_officer, report)["contact_phone"] == PHONE
    event = _views().get()
    assert event.actor == bureau_officer
