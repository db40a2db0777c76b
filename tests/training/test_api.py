from __future__ import annotations

import pytest
from django.test import Client

from skillcity.training import services
from skillcity.training.models import Settlement, VoucherState
from tests.training.conftest import issue

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_health_needs_no_login():
    assert Client().get("/api/v1/training/health").json() == {"status": "ok"}


def test_a_provider_redeems_through_the_api_and_a_replay_returns_the_same(institution_user, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    client = _client(institution_user)
    body = {"code": voucher.code, "idempotency_key": "abc"}
    first = client.post("/api/v1/training/vouchers/redeem", body, content_type="application/json")
    assert first.status_code == 200, first.content
    again = client.post("/api/v1/training/vouchers/redeem", body, content_type="application/json")
    assert again.json() == first.json()
    other = client.post(
        "/api/v1/training/vouchers/redeem",
        {**body, "idempotency_key": "zzz"},
        content_type="application/json",
    )
    assert other.status_code == 409
    assert other.json()["message"] == "该培训券已核销"


def test_a_worker_cannot_redeem(worker_user, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    response = _client(worker_user).post(
        "/api/v1/training/vouchers/redeem",
        {"code": voucher.code, "idempotency_key": "k"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_a_worker_sees_only_their_own_vouchers(worker_user, changan_worker, humen_worker):
    issue([changan_worker, humen_worker])
    codes = [v["code"] for v in _client(worker_user).get("/api/v1/training/vouchers").json()]
    assert codes == [changan_worker.vouchers.get().code]


def test_a_town_officer_sees_only_their_towns_vouchers(humen_officer, changan_worker, humen_worker):
    issue([changan_worker, humen_worker])
    codes = [v["code"] for v in _client(humen_officer).get("/api/v1/training/vouchers").json()]
    assert codes == [humen_worker.vouchers.get().code]


def test_another_provider_cannot_use_my_enrolment(other_institution_user, enrolment, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    response = _client(other_institution_user).post(
        "/api/v1/training/vouchers/redeem",
        {"code": voucher.code, "idempotency_key": "k", "enrolment_id": enrolment.pk},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert changan_worker.vouchers.get().state == VoucherState.ISSUED


def test_only_the_bureau_approves_a_settlement(
    institution, institution_user, bureau_officer, changan_officer
):
    from skillcity.core.periods import HalfYear

    settlement = services.settlement_run(provider=institution, period=HalfYear(2025, 1))
    url = f"/api/v1/training/settlements/{settlement.pk}/approve"
    assert _client(institution_user).post(url).status_code == 403
    assert _client(changan_officer).post(url).status_code == 403
    response = _client(bureau_officer).post(url)
    assert response.status_code == 200
    assert Settlement.objects.get(pk=settlement.pk).status == Settlement.Status.APPROVED
    listed = _client(institution_user).get("/api/v1/training/settlements").json()
    assert [s["id"] for s in listed] == [settlement.pk]


def test_the_pages_render_for_each_role(
    worker_user, institution_user, bureau_officer, changan_worker, institution
):
    from skillcity.core.periods import HalfYear

    issue([changan_worker])
    services.settlement_run(provider=institution, period=HalfYear(2025, 1))
    assert "我的培训券" in _client(worker_user).get("/training/").content.decode()
    provider_home = _client(institution_user).get("/training/").content.decode()
    assert "核销培训券" in provider_home
    # The settlement's half year by its name, never its code.
    assert "2025年上半年" in provider_home and "2025H1" not in provider_home
    assert "voucher-chart" in _client(bureau_officer).get("/training/").content.decode()


def test_a_provider_redeems_on_the_page(institution_user, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    response = _client(institution_user).post(
        "/training/redeem/", {"code": voucher.code, "idempotency_key": "u1"}, follow=True
    )
    assert "培训券核销成功" in response.content.decode()
    assert changan_worker.vouchers.get().state == VoucherState.REDEEMED
