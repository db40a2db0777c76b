"""Issue 13 item 6: the provider's counter page and the undo endpoint; item 5: the worker's vouchers
with a QR code and their state as of today."""

from __future__ import annotations

import base64
import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from skillcity.core.models import AuditEvent
from skillcity.training import services
from skillcity.training.codes import voucher_code_display
from skillcity.training.models import Redemption, Voucher, VoucherState
from tests.training.conftest import issue

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_counter_redeems_a_typed_code_and_shows_holder_value_and_class(
    institution_user, changan_worker, enrolment
):
    voucher = issue([changan_worker]).vouchers.get()
    client = _client(institution_user)
    response = client.post(
        "/training/counter/redeem/",
        {"code": voucher_code_display(voucher.code).lower(), "idempotency_key": "c1"},
        follow=True,
    )
    page = response.content.decode()
    assert "培训券核销成功" in page
    done = page[page.index('data-testid="redeemed"') :]
    assert "陈**" in done and changan_worker.id_number not in page  # masked name and ID only
    assert changan_worker.id_number[:4] + "**********" in done
    assert "¥800.00" in done and "一班" in done  # face value and the class (the holder's enrolment)
    assert Redemption.objects.get().enrolment == enrolment
    assert page.count('data-testid="today-row"') == 1 and 'data-testid="undo"' in page


def test_the_counter_links_the_chosen_class_or_refuses_if_the_holder_is_not_in_it(
    institution_user, changan_worker, humen_worker, training_class
):
    voucher = issue([humen_worker]).vouchers.get()
    page = (
        _client(institution_user)
        .post(
            "/training/counter/redeem/",
            {"code": voucher.code, "training_class": training_class.pk, "idempotency_key": "c1"},
            follow=True,
        )
        .content.decode()
    )
    assert "持券人未报名所选培训班" in page
    assert Voucher.objects.get().state == VoucherState.ISSUED


def test_the_counter_says_why_a_voucher_is_refused(institution_user, changan_worker):
    voucher = issue([changan_worker], valid_to=datetime.date(2025, 12, 31)).vouchers.get()
    page = (
        _client(institution_user)
        .post("/training/counter/redeem/", {"code": voucher.code, "idempotency_key": "c1"}, follow=True)
        .content.decode()
    )
    assert "该培训券已过期" in page
    page = (
        _client(institution_user)
        .post("/training/counter/redeem/", {"code": "ABC", "idempotency_key": "c2"}, follow=True)
        .content.decode()
    )
    assert "券码有误" in page


def test_the_undo_button_reverses_and_needs_a_reason(institution_user, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    client = _client(institution_user)
    client.post("/training/counter/redeem/", {"code": voucher.code, "idempotency_key": "c1"})
    redemption = Redemption.objects.get()
    page = client.post(f"/training/counter/redemptions/{redemption.pk}/undo/", {"reason": ""}, follow=True)
    assert "请填写撤回原因" in page.content.decode()
    page = client.post(
        f"/training/counter/redemptions/{redemption.pk}/undo/", {"reason": "扫错了"}, follow=True
    ).content.decode()
    assert "已撤回核销" in page and "已撤回" in page and 'data-testid="undo"' not in page
    assert Voucher.objects.get().state == VoucherState.ISSUED


def test_the_history_lists_earlier_days_paged(institution_user, changan_worker, settings):
    settings.PAGE_SIZE = 5
    voucher = issue([changan_worker]).vouchers.get()
    services.voucher_redeem(
        code=voucher.code, provider=institution_user.organisation, idempotency_key="x", actor=institution_user
    )
    Redemption.objects.update(redeemed_at=timezone.now() - datetime.timedelta(days=3))
    page = _client(institution_user).get("/training/counter/").content.decode()
    history = page[page.index('id="redemption-history"') :]
    assert voucher_code_display(voucher.code) in history
    assert "今日暂无核销" in page


def test_another_provider_cannot_undo(institution_user, other_institution_user, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    redemption = services.voucher_redeem(
        code=voucher.code, provider=institution_user.organisation, idempotency_key="x", actor=institution_user
    )
    response = _client(other_institution_user).post(
        f"/training/counter/redemptions/{redemption.pk}/undo/", {"reason": "x"}
    )
    assert response.status_code == 404
    api = _client(other_institution_user).post(
        f"/api/v1/training/redemptions/{redemption.pk}/reverse",
        {"reason": "x"},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert Voucher.objects.get().state == VoucherState.REDEEMED


def test_the_api_reverses_once_and_refuses_after_the_window(institution_user, changan_worker, settings):
    voucher = issue([changan_worker]).vouchers.get()
    redemption = services.voucher_redeem(
        code=voucher.code, provider=institution_user.organisation, idempotency_key="x", actor=institution_user
    )
    client = _client(institution_user)
    url = f"/api/v1/training/redemptions/{redemption.pk}/reverse"
    assert client.post(url, {}, content_type="application/json").status_code == 422  # the reason is required
    first = client.post(url, {"reason": "扫错了"}, content_type="application/json")
    again = client.post(url, {"reason": "扫错了"}, content_type="application/json")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and first.json()["voucher_state"] == "issued"
    assert AuditEvent.objects.filter(action="voucher.redemption_reverse").count() == 1
    second = services.voucher_redeem(
        code=voucher.code, provider=institution_user.organisation, idempotency_key="y", actor=institution_user
    )
    Redemption.objects.filter(pk=second.pk).update(redeemed_at=timezone.now() - datetime.timedelta(hours=1))
    late = client.post(
        f"/api/v1/training/redemptions/{second.pk}/reverse",
        {"reason": "晚了"},
        content_type="application/json",
    )
    assert late.status_code == 409 and late.json()["code"] == "undo_window_passed"


def test_a_worker_sees_each_usable_voucher_as_a_qr_of_its_code(worker_user, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    page = _client(worker_user).get("/training/").content.decode()
    match = re.search(r'src="data:image/png;base64,([^"]+)"[^>]*data-testid="voucher-qr"', page)
    assert match, "the voucher's QR image"
    png = base64.b64decode(match.group(1))
    assert png.startswith(b"\x89PNG")
    # The same QR as segno makes for the code itself: the QR carries exactly the voucher's code.
    from skillcity.training.qr import voucher_qr_data_uri

    assert voucher_qr_data_uri(voucher.code).endswith(match.group(1))
    assert voucher_code_display(voucher.code) in page


def test_an_expired_voucher_shows_expired_and_no_qr_before_the_daily_job(worker_user, changan_worker):
    issue([changan_worker], valid_to=datetime.date(2025, 12, 31))
    assert Voucher.objects.get().state == VoucherState.ISSUED  # the job has not run
    page = _client(worker_user).get("/training/").content.decode()
    assert 'data-state="expired">已过期<' in page and "已发放" not in page
    assert 'data-testid="voucher-qr"' not in page
    api = _client(worker_user).get("/api/v1/training/vouchers").json()
    assert api[0]["state"] == "issued" and api[0]["state_now"] == "expired"


def test_the_organisation_home_links_the_counter(institution_user):
    page = _client(institution_user).get("/training/").content.decode()
    assert 'href="/training/counter/"' in page
    assert _client(institution_user).get("/training/counter/").status_code == 200


def test_a_worker_cannot_open_the_counter(worker_user):
    assert _client(worker_user).get("/training/counter/").status_code == 403


def test_the_counter_page_takes_a_fixed_number_of_queries(institution_user, changan_worker, humen_worker):
    from skillcity.registry.models import Worker

    issue(Worker.objects.filter(pk__in=[changan_worker.pk, humen_worker.pk]))
    for i, voucher in enumerate(Voucher.objects.all()):
        services.voucher_redeem(
            code=voucher.code,
            provider=institution_user.organisation,
            idempotency_key=f"q{i}",
            actor=institution_user,
        )
    first = Redemption.objects.first()
    services.redemption_reverse(redemption=first, reason="测试", actor=institution_user)
    client = _client(institution_user)
    client.get("/training/counter/")  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/training/counter/").content.decode()
    # Session, user, redemptions (today, history count and page), classes: none per row.
    assert len(ctx.captured_queries) <= 7
    assert page.count('data-testid="today-row"') == 2


def _error_of(page: str, field_id: str) -> str:
    """The text of the error list next to a field (id="error-<field>"), or "" when there is none."""
    found = re.search(rf'<ul class="errorlist[^"]*" id="error-{field_id}"[^>]*>(.*?)</ul>', page, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def test_a_refused_code_or_class_shows_its_error_next_to_the_field(
    institution_user, changan_worker, humen_worker, training_class
):
    """Issue 13 item 2: the counter's refusals sit beside the field they concern, naming its label; the
    typed code and the chosen class stay filled in."""
    expired = issue([changan_worker], valid_to=datetime.date(2025, 12, 31)).vouchers.get()
    response = _client(institution_user).post(
        "/training/counter/redeem/", {"code": expired.code, "idempotency_key": "c1"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert _error_of(page, "code") == "券码：该培训券已过期"
    assert 'aria-invalid="true"' in page and f'value="{expired.code}"' in page
    other = issue([humen_worker]).vouchers.get()
    response = _client(institution_user).post(
        "/training/counter/redeem/",
        {"code": other.code, "training_class": training_class.pk, "idempotency_key": "c2"},
    )
    page = response.content.decode()
    assert _error_of(page, "training_class") == "培训班：持券人未报名所选培训班"
    assert _error_of(page, "code") == ""
    assert Voucher.objects.filter(state=VoucherState.REDEEMED).count() == 0


def test_an_undo_without_a_reason_shows_the_error_next_to_the_reason(institution_user, changan_worker):
    voucher = issue([changan_worker]).vouchers.get()
    client = _client(institution_user)
    client.post("/training/counter/redeem/", {"code": voucher.code, "idempotency_key": "c1"})
    redemption = Redemption.objects.get()
    response = client.post(f"/training/counter/redemptions/{redemption.pk}/undo/", {"reason": ""})
    page = response.content.decode()
    assert response.status_code == 400
    assert _error_of(page, f"reason-{redemption.pk}").startswith("撤回原因：")
    assert "请填写撤回原因" in _error_of(page, f"reason-{redemption.pk}")
    assert Voucher.objects.get().state == VoucherState.REDEEMED
