"""EDU-GRAD-RETENTION for a cohort in one action (issue 19 §3): a school's graduates of a year, each
read from records (employment.selectors.retention) and shown with why. The school applies for every
eligible graduate at once; each becomes an application from records (one per graduation record, so
each is paid once) for the bureau's review. A graduate not yet eligible (say, four insured months so
far) is listed with the reason and can be applied for later, when the records say more.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError
from skillcity.employment.selectors import month_index, month_of
from skillcity.employment.selectors.retention import Reading, readings
from skillcity.grants import outcomes
from skillcity.grants.models import Application
from skillcity.grants.services.records import application_from_records, standing_by_source
from skillcity.policy.display import reason_texts
from skillcity.policy.in_force import refusal_text
from skillcity.schools.models import Graduation, School
from skillcity.schools.selectors import source_key
from skillcity.schools.services import _year, require_school_actor

RULE = "EDU-GRAD-RETENTION"
MIN_MONTHS = 6  # EDU-GRAD-RETENTION.min_insured_months; the event date below is when it is reached


@dataclass
class Line:
    """One graduate of the cohort: what the records say and what follows."""

    reading: Reading
    status: str  # eligible | applied | not_eligible | no_record | not_in_force
    reasons: list[str]
    amount: str = ""
    application: Application | None = None

    @property
    def graduation(self) -> Graduation:
        return self.reading.graduation

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


STATUS_LABELS = {
    "eligible": gettext_lazy("符合条件，可申请"),
    "applied": gettext_lazy("已申请"),
    "not_eligible": gettext_lazy("暂不符合"),
    "no_record": gettext_lazy("无毕业后社保缴费记录"),
    "not_in_force": gettext_lazy("政策不在有效期"),
}


def event_date(reading: Reading) -> datetime.date:
    """The day the condition is met: the end of the spell's 6th month (or of its last month so far),
    and not before graduation."""
    spell = reading.spell
    assert spell is not None
    month = month_of(month_index(spell.start) + min(spell.months, MIN_MONTHS) - 1)
    reached = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return max(reached, reading.graduation.graduated_on)


def key_for(graduation: Graduation) -> str:
    return source_key(graduation.school, "grad_retention", graduation.pk)


def cohort(school: School, year: int) -> list[Line]:
    """The school's graduates of `year`, each read from records and judged by the rule (nothing written)."""
    graduations = list(
        Graduation.objects.filter(school=school, graduated_on__year=_year(year))
        .select_related("school__organisation", "major", "worker")
        .order_by("graduated_on", "worker__name", "pk")
    )
    standing = standing_by_source([key_for(g) for g in graduations])
    lines = []
    for reading in readings(graduations):
        app = standing.get(key_for(reading.graduation))
        if app is not None:
            lines.append(
                Line(reading, "applied", reason_texts(app.outcome), str(app.outcome.get("amount") or ""), app)
            )
            continue
        if reading.spell is None:
            lines.append(Line(reading, "no_record", [_("社保缴费记录中没有该毕业生的缴费")]))
            continue
        reached = event_date(reading)
        if reached > timezone.localdate():
            # The 6th insured month is this month: a contribution recorded for it, the month not over.
            lines.append(
                Line(reading, "not_eligible", [_("第6个参保月尚未结束（%(d)s 结束）") % {"d": reached}])
            )
            continue
        try:
            outcome = outcomes.evaluate(RULE, reached, dict(reading.facts))
        except DomainError as exc:
            if exc.code != "not_in_force":
                raise
            lines.append(Line(reading, "not_in_force", [refusal_text(RULE, reached, exc)]))
            continue
        status = "eligible" if outcome.get("eligible") else "not_eligible"
        lines.append(Line(reading, status, reason_texts(outcome), str(outcome.get("amount") or "")))
    return lines


@transaction.atomic
def cohort_apply(*, actor: Any, school: School, year: int) -> list[Line]:
    """Apply for every eligible graduate of the cohort in one action; the cohort's lines afterwards."""
    require_school_actor(actor, school)
    lines = cohort(school, year)
    made = 0
    for line in lines:
        if line.status != "eligible":
            continue
        line.application = application_from_records(
            actor=actor,
            rule_id=RULE,
            payee=school.organisation,
            event_date=event_date(line.reading),
            facts=line.reading.facts,
            fact_sources=line.reading.sources,
            source_key=key_for(line.graduation),
        )
        line.status = "applied"
        made += 1
    if made == 0:
        raise DomainError(
            "nothing_to_apply",
            _("该届毕业生中没有可申请的（已申请的不再重复申请）"),
            {"year": _("无可申请的毕业生")},
        )
    audit_record(
        actor=actor,
        action="schools.grant.grad_retention",
        target=school,
        after={"year": year, "applications": made},
    )
    return lines
