"""The card's pages and API: the worker's phone page (reasons, apply, services), the bureau's pages, who may
see what, and the profile's education equivalence."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skillcity.accounts.services import token_create
from skillcity.registry.models import SkillRecord
from skillcity.talents.models import CardService, HonourList, TalentCard
from skillcity.talents.services import cards, honours
from tests.factories import WorkerFactory
from tests.talents.conftest import honour, xlsx

pytestmark = pytest.mark.django_db
API = "/api/v1/talents"


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


def test_the_worker_sees_why_not_and_no_apply_button(client, worker_user):
    client.force_login(worker_user)
    body = client.get("/talents/card/").content.decode()
    assert 'data-eligible="no"' in body and "不能申领" in body and 'id="card-apply"' not in body


def test_the_worker_applies_in_one_step_and_sees_the_card_with_its_qr_and_services(
    client, worker_user, changan_worker, bureau_officer
):
    honour(changan_worker, "nanyue_technical_expert", bureau_officer)
    cards.card_service_save(actor=bureau_officer, name="子女入学服务", provider="市教育局", demo=True)
    client.force_login(worker_user)
    body = client.get("/talents/card/").content.decode()
    assert 'data-eligible="yes"' in body and "南粤技术能手" in body and 'id="card-apply"' in body
    response = client.post("/talents/card/apply/")
    assert response.status_code == 302
    body = client.get("/talents/card/").content.decode()
    card = TalentCard.objects.get()
    assert (
        card.number in body and "<svg" in body and "演示数据，文件未列明" in body and "子女入学服务" in body
    )


def test_officers_only_on_bureau_pages(client, worker_user, changan_officer, bureau_officer):
    client.force_login(worker_user)
    for url in (
        "/talents/cards/",
        "/talents/services/",
        "/talents/imports/",
        "/talents/pool/",
        "/talents/honours/",
    ):
        assert client.get(url).status_code == 403, url
    client.force_login(changan_officer)
    assert client.get("/talents/cards/").status_code == 200
    assert client.get("/talents/pool/").status_code == 200
    assert client.get("/talents/services/").status_code == 403
    client.force_login(bureau_officer)
    for url in (
        "/talents/cards/",
        "/talents/services/",
        "/talents/imports/",
        "/talents/pool/",
        "/talents/honours/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_bureau_revokes_from_the_list(client, bureau_officer, changan_worker, worker_user):
    honour(changan_worker, "china_skills_award", bureau_officer)
    card = cards.card_apply(worker=changan_worker, actor=worker_user)
    client.force_login(bureau_officer)
    assert card.number in client.get("/talents/cards/").content.decode()
    client.post(f"/talents/cards/{card.pk}/revoke/", {"reason": "本人申请注销"})
    card.refresh_from_db()
    assert card.status == TalentCard.Status.REVOKED and card.revoked_reason == "本人申请注销"


def test_the_services_form_puts_errors_next_to_fields(client, bureau_officer):
    client.force_login(bureau_officer)
    body = client.post(
        "/talents/services/", {"name": "", "provider": "市人社局", "order": "5000"}
    ).content.decode()
    assert 'data-field="name"' in body and "服务名称" in body
    client.post(
        "/talents/services/", {"name": "公交优惠", "provider": "市交通局", "order": "1", "active": "on"}
    )
    assert CardService.objects.get().name == "公交优惠"


def test_the_import_page_lists_each_bad_row(client, bureau_officer, changan_worker):
    client.force_login(bureau_officer)
    content = xlsx(
        [
            ["身份证号码", "姓名", "称号", "授予日期"],
            [changan_worker.id_number, "错名", "莞邑工匠", "2025-01-01"],
        ]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post("/talents/imports/titles/", {"file": SimpleUploadedFile("t.xlsx", content)})
    body = client.get("/talents/imports/").content.decode()
    assert 'id="import-errors"' in body and "第2行" in body and "姓名" in body
    template = client.get("/talents/imports/studios/template/")
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxml")


def test_the_pool_page_masks_and_its_query_count_is_fixed(client, bureau_officer, changan):
    for _ in range(3):
        w = WorkerFactory(town=changan, highest_level=2)
        honour(w, "chief_technician", bureau_officer)
    client.force_login(bureau_officer)
    with CaptureQueriesContext(connection) as few:
        client.get("/talents/pool/")
    for _ in range(5):
        WorkerFactory(town=changan, highest_level=3)
    with CaptureQueriesContext(connection) as more:
        body = client.get("/talents/pool/").content.decode()
    assert len(more) == len(few)
    assert w.id_number not in body and w.id_number_masked in body


def test_the_honours_page_names_who_counted(client, bureau_officer, changan):
    w = WorkerFactory(town=changan, highest_level=4, name="甲某")
    honours.honours_import(
        award="五一劳动奖章",
        year=2025,
        filename="h.xlsx",
        content=xlsx([["姓名", "身份证号码"], ["甲某", w.id_number]]),
        actor=bureau_officer,
    )
    client.force_login(bureau_officer)
    body = client.get(f"/talents/honours/{HonourList.objects.get().pk}/").content.decode()
    assert 'data-met="yes"' in body and 'data-counted="yes"' in body and "四级" in body


def test_the_profile_shows_the_education_equivalence(client, worker_user, changan_worker):
    SkillRecord.objects.create(
        worker=changan_worker, kind="skill_level", level=4, obtained_on=datetime.date(2024, 1, 1)
    )
    changan_worker.highest_level = 4
    changan_worker.save(update_fields=["highest_level"])
    client.force_login(worker_user)
    body = client.get(f"/registry/workers/{changan_worker.pk}/").content.decode()
    assert 'id="edu-equiv"' in body and "中专" in body and 'data-matches="yes"' in body


def test_the_api_answers_eligibility_apply_and_the_bureau_lists(
    client, worker_user, changan_worker, bureau_officer
):
    mine = client.get(f"{API}/card", **_bearer(worker_user)).json()
    assert mine["card"] is None and mine["eligibility"]["eligible"] is False
    assert mine["eligibility"]["facts"]["titles"] == []
    honour(changan_worker, "guangdong_technical_expert", bureau_officer)
    made = client.post(f"{API}/card/apply", **_bearer(worker_user))
    assert made.status_code == 201 and made.json()["grounds"] == ["持有“广东省技术能手”称号"]
    again = client.post(f"{API}/card/apply", **_bearer(worker_user))
    assert again.status_code == 409
    listed = client.get(f"{API}/cards", **_bearer(bureau_officer)).json()
    assert [c["number"] for c in listed] == [made.json()["number"]]
    revoked = client.post(
        f"{API}/cards/{listed[0]['id']}/revoke",
        {"reason": "误发"},
        content_type="application/json",
        **_bearer(bureau_officer),
    )
    assert revoked.json()["status"] == "revoked"
    assert client.get(f"{API}/cards", **_bearer(worker_user)).status_code == 403
    service = client.post(
        f"{API}/card-services",
        {"name": "公交优惠", "provider": "市交通局"},
        content_type="application/json",
        **_bearer(bureau_officer),
    )
    assert service.status_code == 201
    assert client.get(f"{API}/pool", **_bearer(bureau_officer)).status_code == 200
