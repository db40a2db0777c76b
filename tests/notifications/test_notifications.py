"""Issue 13 item 5: the applicant is told when an application is returned, approved or paid, and a
worker when a voucher is about to expire; a bell, a list with mark-as-read, the API, the SMS adapter."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from skillcity.core.errors import DomainError
from skillcity.grants import flows
from skillcity.grants import services as grants
from skillcity.grants.models import Fund
from skillcity.notifications import services
from skillcity.notifications.models import Notification, NotificationKind, SmsMessage
from skillcity.notifications.sms import sms_sender
from tests.grants.conftest import AFTER_NOTICE, submitted
from tests.training.conftest import issue

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reviewers(rule: str, town_officer: Any, bureau: Any) -> list[Any]:
    return [town_officer if s.role == "town_officer" else bureau for s in flows.stages_for(rule)]


def _approved(user: Any, town_officer: Any, bureau: Any, rule: str = "CMP-HOST") -> Any:
    Fund.objects.get_or_create(
        programme=rule, year=2024, defaults={"name": "测试", "total": Decimal("900000")}
    )
    app = submitted(user, rule=rule)
    for reviewer in _reviewers(rule, town_officer, bureau):
        app = grants.application_review_pass(application=app, actor=reviewer)
    grants.notice_start(application=app, actor=bureau, start=datetime.date(2024, 4, 1))
    app.refresh_from_db()
    return grants.application_approve(
        application=app, actor=bureau, amount=Decimal("3000"), today=AFTER_NOTICE
    )


def test_a_worker_is_told_when_their_application_is_returned(
    worker_user, changan_officer, bureau_officer, django_capture_on_commit_callbacks
):
    app = submitted(worker_user, rule="TAL-CARD-FLOOR")
    reviewer = _reviewers("TAL-CARD-FLOOR", changan_officer, bureau_officer)[0]
    with django_capture_on_commit_callbacks(execute=True):
        grants.application_return(application=app, actor=reviewer, reason="缺少社保缴费证明")
    notification = Notification.objects.get(user=worker_user)
    assert notification.kind == NotificationKind.APPLICATION_RETURNED
    assert notification.title == "补贴申请被退回修改"
    assert "缺少社保缴费证明" in notification.text and f"编号 {app.pk}" in notification.text
    assert notification.url == f"/grants/{app.pk}/"
    # The SMS adapter (simulated) recorded the text message to the worker's phone.
    sms = SmsMessage.objects.get()
    assert sms.phone == worker_user.worker.phone and sms.notification_id == notification.pk
    assert sms.text.startswith("【技能人才之都】") and "缺少社保缴费证明" in sms.text


def test_an_application_returned_twice_is_told_twice(worker_user, changan_officer, bureau_officer):
    app = submitted(worker_user, rule="TAL-CARD-FLOOR")
    reviewer = _reviewers("TAL-CARD-FLOOR", changan_officer, bureau_officer)[0]
    grants.application_return(application=app, actor=reviewer, reason="第一次")
    grants.application_submit(application=app, actor=worker_user)
    grants.application_return(application=app, actor=reviewer, reason="第二次")
    assert Notification.objects.filter(user=worker_user).count() == 2


def test_the_organisation_is_told_of_approval_and_payment(
    enterprise_user, changan_officer, bureau_officer, finance_officer
):
    app = _approved(enterprise_user, changan_officer, bureau_officer)
    grants.payment_make(application=app, actor=finance_officer, idempotency_key="pay-1")
    grants.payment_make(application=app, actor=finance_officer, idempotency_key="pay-1")  # a replay
    kinds = list(Notification.objects.filter(user=enterprise_user).values_list("kind", flat=True))
    assert sorted(kinds) == [NotificationKind.APPLICATION_APPROVED, NotificationKind.APPLICATION_PAID]
    paid = Notification.objects.get(kind=NotificationKind.APPLICATION_PAID)
    assert "已拨付 3,000.00 元" in paid.text


def test_a_refused_transition_tells_no_one(enterprise_user, bureau_officer, finance_officer):
    app = submitted(enterprise_user)
    with pytest.raises(DomainError):
        grants.payment_make(application=app, actor=finance_officer, idempotency_key="k")
    assert not Notification.objects.exists()


def test_the_expiry_job_tells_a_holder_once_and_only_within_the_window(worker_user, changan_worker, settings):
    settings.VOUCHER_EXPIRY_NOTICE_DAYS = 14
    today = datetime.date(2030, 12, 20)
    issue([changan_worker])  # valid to 2030-12-31: 11 days left
    assert services.vouchers_expiring_notify(today=datetime.date(2030, 12, 1)) == 0  # 30 days left
    assert services.vouchers_expiring_notify(today=today) == 1
    assert services.vouchers_expiring_notify(today=today) == 0  # a rerun tells no one twice
    notification = Notification.objects.get(user=worker_user)
    assert notification.kind == NotificationKind.VOUCHER_EXPIRING
    assert "2030-12-31" in notification.text and "800.00" in notification.text


def test_the_expiry_job_is_registered_with_the_scheduler():
    from skillcity.jobs.schedule import PERIODIC_JOBS

    job = PERIODIC_JOBS["notifications.vouchers_expiring"]
    assert job.period == "daily" and job.task.endswith("vouchers_expiring_notify_task")
    assert "training.vouchers_expire" in PERIODIC_JOBS  # the daily expiry stays


def test_the_sms_backend_is_a_setting(settings):
    settings.SMS_BACKEND = "skillcity.notifications.sms.SimulatedSmsSender"
    sms_sender().send(phone="13800000000", text="测试")
    assert SmsMessage.objects.get().text == "测试"


def _notify(user: Any, key: str = "k1") -> Notification:
    return services.notifications_send(
        users=[user],
        kind=NotificationKind.APPLICATION_PAID,
        key=key,
        params={"rule": "CMP-HOST", "id": 7, "amount": "10.00", "reason": ""},
        url="/grants/7/",
    )[0]


def test_the_bell_counts_unread_and_the_list_marks_read(worker_user, enterprise_user):
    first = _notify(worker_user, "a")
    _notify(worker_user, "b")
    _notify(enterprise_user, "c")
    client = _client(worker_user)
    home = client.get("/").content.decode()
    assert 'data-testid="notification-count">2<' in home
    page = client.get("/notifications/").content.decode()
    assert page.count('data-testid="notification"') == 2 and "补贴已拨付" in page
    client.post(f"/notifications/{first.pk}/read/")
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'data-testid="notification-count">1<' in client.get("/").content.decode()
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(user=worker_user, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=enterprise_user, read_at__isnull=True).count() == 1


def test_one_cannot_mark_another_users_notification(worker_user, enterprise_user):
    theirs = _notify(enterprise_user)
    _client(worker_user).post(f"/notifications/{theirs.pk}/read/")
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = _client(worker_user).post(f"/api/v1/notifications/{theirs.pk}/read")
    assert response.status_code == 404


def test_the_api_lists_and_marks_read_idempotently(worker_user):
    notification = _notify(worker_user)
    client = _client(worker_user)
    listed = client.get("/api/v1/notifications").json()
    assert listed["unread"] == 1
    assert listed["items"][0]["title"] == "补贴已拨付" and listed["items"][0]["kind"] == "application_paid"
    first = client.post(f"/api/v1/notifications/{notification.pk}/read").json()
    again = client.post(f"/api/v1/notifications/{notification.pk}/read").json()
    assert first["read_at"] is not None and again["read_at"] == first["read_at"]
    assert client.get("/api/v1/notifications").json()["unread"] == 0


def test_the_api_needs_a_login(db):
    assert Client().get("/api/v1/notifications").status_code == 401


def test_a_notification_reads_in_english(worker_user):
    _notify(worker_user)
    client = _client(worker_user)
    client.cookies["django_language"] = "en"
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Subsidy paid" in page


def test_the_list_takes_a_fixed_number_of_queries(worker_user):
    for i in range(8):
        _notify(worker_user, f"n{i}")
    client = _client(worker_user)
    client.get("/notifications/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/notifications/")
    # Session, user, unread count (bell and page), count and page: none per notification.
    assert len(ctx.captured_queries) <= 7
