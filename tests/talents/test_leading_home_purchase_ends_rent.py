"""When the home-purchase subsidy is approved, the talent's running rent schedule ends with the reason
"bought a home", audited, and the talent is told; the job pays it no more."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from skillcity.core.models import AuditEvent
from skillcity.grants import services as grants
from skillcity.notifications.models import Notification
from skillcity.talents.models import RentEndReason, RentState
from skillcity.talents.services import leading, rent
from tests.talents.leading_helpers import DAY, NOTICE_OVER, call, expert, finance, funds, to_recognition

pytestmark = pytest.mark.django_db


def test_approving_the_home_purchase_ends_the_rent_schedule(bureau_officer, worker_user, changan):
    funds(bureau_officer)
    the_call = call(bureau_officer)
    app = leading.application_submit(actor=worker_user, call=the_call, grounds="g", day=DAY)
    ew, eu = expert(changan)
    recognition = to_recognition(bureau_officer, the_call, app, ew, eu)
    schedule = rent.schedule_create(
        actor=finance(), recognition=recognition, monthly_amount="3000", first_month=DAY, day=DAY, months=24
    )
    rent.rent_pay_month(day=datetime.date(2025, 3, 20))
    grant = leading.home_purchase_claim(
        actor=worker_user,
        recognition=recognition,
        requested="2000000",
        proof=SimpleUploadedFile("contract.pdf", b"%PDF contract"),
        day=NOTICE_OVER,
    )
    grants.application_review_pass(application=grant, actor=bureau_officer)
    grants.notice_start(application=grant, actor=bureau_officer, start=NOTICE_OVER)
    schedule.refresh_from_db()
    assert schedule.state == RentState.ACTIVE  # a claim alone does not stop the rent
    grants.application_approve(application=grant, actor=bureau_officer, today=datetime.date(2025, 5, 30))
    schedule.refresh_from_db()
    assert schedule.state == RentState.ENDED and schedule.end_reason == RentEndReason.BOUGHT_HOME
    assert str(grant.pk) in schedule.end_note
    assert AuditEvent.objects.filter(action="talents.rent.end", target_id=str(schedule.pk)).exists()
    notice = Notification.objects.get(user=worker_user, kind="rent_schedule_ended")
    assert "已购房" in notice.text
    assert rent.rent_pay_month(day=datetime.date(2025, 6, 20))["paid"] == 0
