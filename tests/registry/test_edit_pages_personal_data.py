"""The edit pages never put a stored full phone number into the form: it is shown masked, and left
empty it is kept (a value= with the full number would be an unaudited full view)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillcity.core.models import AuditEvent
from skillcity.registry.models import Organisation, Worker

pytestmark = pytest.mark.django_db


def test_the_worker_edit_page_shows_the_phone_masked_and_keeps_it_when_left_empty(
    client, changan_officer, changan_worker
):
    client.force_login(changan_officer)
    url = reverse("registry:worker_edit", args=[changan_worker.pk])
    page = client.get(url).content.decode()
    assert changan_worker.phone not in page
    assert changan_worker.phone_masked in page and "留空则保持原号码" in page
    form = {"name": "陈长安", "phone": "", "town": changan_worker.town.code, "employer": ""}
    assert client.post(url, form).status_code == 302
    assert Worker.objects.get(pk=changan_worker.pk).phone == changan_worker.phone
    assert client.post(url, {**form, "phone": "13912345678"}).status_code == 302
    assert Worker.objects.get(pk=changan_worker.pk).phone == "13912345678"
    assert not AuditEvent.objects.filter(action="personal_data.view").exists()


def test_the_organisation_edit_page_shows_the_mobile_masked_and_keeps_it_when_left_empty(
    client, enterprise_user, changan_enterprise
):
    Organisation.objects.filter(pk=changan_enterprise.pk).update(mobile="13712345678")
    client.force_login(enterprise_user)
    url = reverse("registry:organisation_edit", args=[changan_enterprise.pk])
    page = client.get(url).content.decode()
    assert "13712345678" not in page and "137****5678" in page
    response = client.post(
        url,
        {
            "name": changan_enterprise.name,
            "category": changan_enterprise.category,
            "town": changan_enterprise.town.code,
            "mobile": "",
            "contact_person": "新联系人",
        },
    )
    assert response.status_code == 302
    changan_enterprise.refresh_from_db()
    assert changan_enterprise.mobile == "13712345678" and changan_enterprise.contact_person == "新联系人"
