"""A home purchase ends the rent subsidy (D002 item 25: rent is paid while the talent rents): when the
home-purchase grant is approved, the talent's running rent schedule ends with the reason "bought a
home", audited, and the talent is told. Runs inside grants' approval transaction (registered with
grants.flows as an approved-callback for TAL-LEADING)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from skillcity.notifications.models import NotificationKind
from skillcity.notifications.services import notifications_send
from skillcity.talents.models.leading import LeadingApplication, RentEndReason, RentSchedule, RentState
from skillcity.talents.services import rent


def on_grant_approved(application: Any, actor: Any) -> None:
    parts = (application.source_key or "").split(":")
    if len(parts) != 3 or parts[0] != "talents.leading" or parts[2] != "home_purchase":
        return
    try:
        leading = LeadingApplication.objects.get(pk=int(parts[1]))
    except (ValueError, LeadingApplication.DoesNotExist):
        return
    day = rent.today()
    for schedule in RentSchedule.objects.filter(
        recognition__application=leading, state__in=(RentState.ACTIVE, RentState.PAUSED)
    ):
        ended = rent.schedule_end(
            actor=actor,
            schedule=schedule,
            reason=RentEndReason.BOUGHT_HOME,
            note=_("购房补贴（补贴申请第%(n)s号）已核准") % {"n": application.pk},
            day=day,
        )
        from skillcity.accounts.models import User

        notifications_send(
            users=list(User.objects.filter(worker_id=ended.worker_id, is_active=True)),
            kind=NotificationKind.RENT_SCHEDULE_ENDED,
            key=f"rent_schedule_ended:{ended.pk}",
            params={"date": day.isoformat()},
            url=f"/talents/leading/applications/{leading.pk}/",
        )
