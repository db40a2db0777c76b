"""Annex 1 shows the contact mobile masked (page, API and .xlsx); in full only to officers, audited."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from skillcity.alliances.models import Membership
from skillcity.core.models import AuditEvent
from skillcity.core.spreadsheets import workbook_bytes
from skillcity.registry.models import Organisation

pytestmark = pytest.mark.django_db
MOBILE = "13712345678"


@pytest.fixture
def membership(make_alliance, enterprise):
    Organisation.objects.filter(pk=enterprise.pk).update(mobile=MOBILE)
    alliance = make_alliance(until="draft")
    return Membership.objects.get(alliance=alliance, organisation=enterprise)


def _xlsx(client, membership) -> bytes:
    url = reverse("alliances:member_annex1_xlsx", args=[membership.alliance_id, membership.pk])
    return client.get(url).content


def test_the_member_sees_its_mobile_masked_on_the_page_and_in_the_xlsx(client, membership, member_user):
    client.force_login(member_user)
    page = client.get(reverse("alliances:member_annex1", args=[membership.alliance_id, membership.pk]))
    assert MOBILE not in page.content.decode() and "137****5678" in page.content.decode()
    sheet = load_workbook(io.BytesIO(_xlsx(client, membership))).worksheets[0]
    assert sheet["G9"].value == "137****5678"
    assert not AuditEvent.objects.filter(action="personal_data.view").exists()


def test_a_masked_mobile_uploaded_back_keeps_the_stored_one(client, membership, member_user, enterprise):
    client.force_login(member_user)
    workbook = load_workbook(io.BytesIO(_xlsx(client, membership)))
    workbook.worksheets[0]["K8"] = "新联系人"
    upload = SimpleUploadedFile("annex1.xlsx", workbook_bytes(workbook))
    url = reverse("alliances:member_annex1", args=[membership.alliance_id, membership.pk])
    assert client.post(url, {"file": upload}).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.mobile == MOBILE and enterprise.contact_person == "新联系人"


def test_the_page_form_left_empty_keeps_the_mobile(client, membership, member_user, enterprise):
    client.force_login(member_user)
    url = reverse("alliances:member_annex1", args=[membership.alliance_id, membership.pk])
    fields = {
        "address": "长安镇示例路1号",
        "contact_person": "王五",
        "mobile": "",
        "total_staff": enterprise.total_staff,
    }
    assert client.post(url, fields).status_code == 302
    enterprise.refresh_from_db()
    assert enterprise.mobile == MOBILE and enterprise.contact_person == "王五"


def test_an_officer_gets_the_full_mobile_and_the_view_is_audited(client, membership, bureau_officer):
    client.force_login(bureau_officer)
    sheet = load_workbook(io.BytesIO(_xlsx(client, membership))).worksheets[0]
    assert sheet["G9"].value == MOBILE
    event = AuditEvent.objects.get(action="personal_data.view")
    assert event.actor == bureau_officer and event.after == {"field": "mobile"}


def test_the_api_shows_the_member_its_mobile_masked_and_audits_an_officers_full_view(
    client, membership, member_user, bureau_officer
):
    from skillcity.accounts.services import token_create

    url = f"/api/v1/alliances/{membership.alliance_id}/members/{membership.pk}/annex1"
    for user, expected in ((member_user, "137****5678"), (bureau_officer, MOBILE)):
        token = token_create(user=user, name="t", actor=user)[1]
        body = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").json()
        assert body["mobile"] == expected
    assert AuditEvent.objects.filter(action="personal_data.view", actor=bureau_officer).count() == 1
