"""Which half-year reports an alliance owes, when each is due, and which are late or missing.

- An alliance reports every half year from the one in which the bureau accepted its filing; a
  dissolved alliance owes no report for half years ending after its dissolution.
- Due date: the last day of the Nth month after the half year (settings.ALLIANCE_REPORT_DUE_MONTHS,
  default 1 → 31 Jul / 31 Jan). D000 sets no date; the default is the platform's (policy-catalog §7).
- Late: first submitted after the due date (a resubmission after the bureau returns a report does
  not make it late). Missing: the due date has passed and the report was never submitted.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

# The services' clock, re-exported: callers ask the schedule for "today".
from skillcity.alliances.clock import clock_at as clock_at
from skillcity.alliances.clock import now as now
from skillcity.alliances.clock import today as today
from skillcity.alliances.models import Alliance, AllianceStatus, HalfYearReport
from skillcity.alliances.policy_versions import label_for_period
from skillcity.core.periods import HalfYear


def due_date(period: HalfYear) -> datetime.date:
    return period.default_due_date(settings.ALLIANCE_REPORT_DUE_MONTHS)


def first_period(alliance: Alliance) -> HalfYear | None:
    return HalfYear.containing(alliance.accepted_on) if alliance.accepted_on else None


def reportable_periods(alliance: Alliance, on: datetime.date) -> list[HalfYear]:
    """Half years the alliance may report on `on`: from its first up to the one in progress."""
    start = first_period(alliance)
    if start is None:
        return []
    last = HalfYear.containing(on)
    if alliance.status == AllianceStatus.DISSOLVED and alliance.dissolved_on:
        last = min(last, HalfYear.containing(alliance.dissolved_on))
    periods = []
    period = start
    while period <= last:
        periods.append(period)
        period = period.next()
    return periods


def owes_report(alliance: Alliance, period: HalfYear) -> bool:
    """A dissolved alliance owes nothing for the half year it dissolved in or later."""
    return not (
        alliance.status == AllianceStatus.DISSOLVED
        and alliance.dissolved_on
        and period.end > alliance.dissolved_on
    )


@dataclass(frozen=True)
class PeriodState:
    period: HalfYear
    due_on: datetime.date
    report: HalfYearReport | None
    owed: bool
    late: bool
    missing: bool
    policy_label: str

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.first_submitted_at is not None

    @property
    def submitted_on(self) -> datetime.date | None:
        if self.report is None or self.report.first_submitted_at is None:
            return None
        return timezone.localdate(self.report.first_submitted_at)


def period_states(
    alliance: Alliance, reports: Iterable[HalfYearReport], on: datetime.date
) -> list[PeriodState]:
    """Every reportable half year, newest first, with its report (if any) and its flags on `on`."""
    by_period = {r.period: r for r in reports}
    states = []
    for period in reportable_periods(alliance, on):
        report = by_period.get(period)
        due = due_date(period)
        owed = owes_report(alliance, period)
        submitted_at = report.first_submitted_at if report is not None else None
        late = submitted_at is not None and timezone.localdate(submitted_at) > due
        missing = owed and submitted_at is None and on > due
        states.append(PeriodState(period, due, report, owed, late, missing, label_for_period(period)))
    return list(reversed(states))
