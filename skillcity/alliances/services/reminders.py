"""Reminders for half-year reports: a Notice to the initiator for each report due within N days or
overdue, at most one per report per day (running the reminder twice on a day adds nothing)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction

from skillcity.alliances import schedule
from skillcity.alliances.models import Alliance, AllianceStatus, Notice, NoticeKind, ReportStatus
from skillcity.core.audit import audit_record


@dataclass(frozen=True)
class ReminderRun:
    on: datetime.date
    created: list[Notice]
    already: int

    @property
    def alliances(self) -> int:
        return len({n.alliance_id for n in self.created})


def _needs_report(state: schedule.PeriodState) -> bool:
    if not state.owed:
        return False
    report = state.report
    # Never submitted, or returned by the bureau and not yet resubmitted.
    return report is None or report.first_submitted_at is None or report.status == ReportStatus.RETURNED


@transaction.atomic
def reminders_send(*, actor: Any, on: datetime.date | None = None, days: int | None = None) -> ReminderRun:
    on = on or schedule.today()
    days = settings.ALLIANCE_REMIND_DAYS if days is None else days
    if days < 0:
        raise ValueError("days must be ≥ 0")
    alliances = Alliance.objects.filter(
        status__in=[AllianceStatus.ACTIVE, AllianceStatus.DISSOLVED]
    ).prefetch_related("reports")
    existing = set(Notice.objects.filter(on_date=on).values_list("alliance_id", "year", "half"))
    created: list[Notice] = []
    already = 0
    for alliance in alliances:
        for state in schedule.period_states(alliance, alliance.reports.all(), on):
            if not _needs_report(state):
                continue
            days_left = (state.due_on - on).days
            if days_left < 0:
                kind = NoticeKind.OVERDUE
                text = f"{alliance.name} {state.period} 半年度报告已逾期（报送期限 {state.due_on.isoformat()}），请尽快报送"
            elif days_left <= days:
                kind = NoticeKind.DUE_SOON
                text = f"{alliance.name} {state.period} 半年度报告将于 {state.due_on.isoformat()} 到期（还有{days_left}天）"
            else:
                continue
            if state.report is not None and state.report.status == ReportStatus.RETURNED:
                text += "；该报告已被退回，请修改后重新报送"
            key = (alliance.pk, state.period.year, state.period.half)
            if key in existing:
                already += 1
                continue
            existing.add(key)
            created.append(
                Notice(
                    alliance=alliance,
                    year=state.period.year,
                    half=state.period.half,
                    kind=kind,
                    on_date=on,
                    due_on=state.due_on,
                    message=text,
                )
            )
    # ignore_conflicts: a reminder run racing another on the same day adds each notice once.
    Notice.objects.bulk_create(created, ignore_conflicts=True)
    audit_record(
        actor=actor,
        action="alliance.remind",
        target_type="alliances.notice",
        target_id=on.isoformat(),
        after={"on": on, "days": days, "created": len(created), "already": already},
    )
    return ReminderRun(on=on, created=created, already=already)
