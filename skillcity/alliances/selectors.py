"""Reads for alliance pages, the API and downloads; each applies the caller's scope first.

| role               | sees                                              | changes                                    |
|--------------------|---------------------------------------------------|--------------------------------------------|
| bureau officer     | every alliance                                    | reviews filings and reports, dissolves     |
| town officer       | alliances whose initiator is in their town        | nothing (read-only)                        |
| organisation user  | alliances their organisation is a current member of | the initiator edits; a member fills its own Annex 1 |

An alliance outside the caller's scope is reported as not found, as everywhere (core.access).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from skillcity.alliances import schedule
from skillcity.alliances.models import (
    Alliance,
    AllianceStatus,
    HalfYearReport,
    MemberRole,
    Membership,
    Notice,
    ReportStatus,
)
from skillcity.core.access import _role, visible_to
from skillcity.core.errors import NotFound, PermissionDenied
from skillcity.core.periods import HalfYear
from skillcity.registry.models import OrganisationCategory

NOT_FOUND = _lazy("记录不存在或您无权查看")


def alliances_visible_to(user: Any) -> QuerySet[Alliance]:
    queryset = Alliance.objects.select_related("industry", "initiator", "initiator__town")
    if _role(user) == "organisation_user":
        current = Membership.objects.filter(
            alliance=OuterRef("pk"), organisation_id=user.organisation_id, left_on__isnull=True
        )
        return queryset.filter(Exists(current))
    return visible_to(user, queryset)


def is_initiator_user(user: Any, alliance: Alliance) -> bool:
    return _role(user) == "organisation_user" and user.organisation_id == alliance.initiator_id


def is_bureau(user: Any) -> bool:
    return _role(user) == "bureau_officer"


def alliance_get_for(user: Any, pk: Any, *, write: bool = False) -> Alliance:
    """The alliance if the user may see it; with write=True, only its initiator's users may change it."""
    try:
        alliance = alliances_visible_to(user).get(pk=pk)
    except (Alliance.DoesNotExist, ValueError, TypeError):
        raise NotFound(NOT_FOUND) from None
    if write and not is_initiator_user(user, alliance):
        raise PermissionDenied(_("只有联盟发起单位可以修改联盟"))
    return alliance


def alliance_review_get_for(user: Any, pk: Any) -> Alliance:
    """The alliance for the bureau's decisions (accept, return, dissolve, review reports)."""
    alliance = alliance_get_for(user, pk)
    if not is_bureau(user):
        raise PermissionDenied(_("只有市人社局可以审核联盟备案和报告"))
    return alliance


def membership_get_for(user: Any, alliance: Alliance, pk: Any, *, annex1: bool = False) -> Membership:
    """A member of a visible alliance; with annex1=True the caller must be able to fill its Annex 1:
    the member's own users, or the initiator's users on its behalf."""
    try:
        membership = alliance.memberships.select_related(
            "organisation", "organisation__industry", "organisation__town"
        ).get(pk=pk)
    except (Membership.DoesNotExist, ValueError, TypeError):
        raise NotFound(NOT_FOUND) from None
    if annex1 and not can_fill_annex1(user, alliance, membership):
        raise PermissionDenied(_("只有该成员单位或联盟发起单位可以填报登记表"))
    return membership


def can_fill_annex1(user: Any, alliance: Alliance, membership: Membership) -> bool:
    if _role(user) != "organisation_user":
        return False
    return user.organisation_id in (membership.organisation_id, alliance.initiator_id)


def report_get_for(user: Any, alliance: Alliance, period: str | HalfYear) -> HalfYearReport:
    try:
        half_year = period if isinstance(period, HalfYear) else HalfYear.parse(period)
        return alliance.reports.get(year=half_year.year, half=half_year.half)
    except (HalfYearReport.DoesNotExist, ValueError):
        raise NotFound(NOT_FOUND) from None


def memberships_of(alliance: Alliance, *, current_only: bool = False) -> list[Membership]:
    members = alliance.memberships.select_related(
        "organisation", "organisation__industry", "organisation__town"
    )
    if current_only:
        members = members.filter(left_on__isnull=True)
    return sorted(
        members,
        key=lambda m: (
            m.left_on is not None,
            m.role != MemberRole.INITIATOR,
            not m.is_lead,
            m.organisation.category,
            m.organisation.name,
        ),
    )


# --- the bureau's list -------------------------------------------------------------------------


@dataclass
class AllianceRow:
    alliance: Alliance
    member_count: int
    lead_name: str
    last_period: HalfYear | None
    missing: list[HalfYear] = field(default_factory=list)
    late: list[HalfYear] = field(default_factory=list)
    awaiting_review: int = 0
    returned: int = 0

    @property
    def overdue_count(self) -> int:
        return len(self.missing)

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.missing:
            flags.append(_("缺报%(n)d期") % {"n": len(self.missing)})
        if self.late:
            flags.append(_("逾期报送%(n)d期") % {"n": len(self.late)})
        if self.alliance.status == AllianceStatus.FILED:
            flags.append(_("备案待审核"))
        if self.awaiting_review:
            flags.append(_("报告待审核%(n)d份") % {"n": self.awaiting_review})
        if self.returned:
            flags.append(_("报告已退回待重报%(n)d份") % {"n": self.returned})
        return flags


def alliance_rows(
    user: Any,
    *,
    q: str = "",
    status: str = "",
    industry: str | int | None = None,
    overdue_only: bool = False,
    on: datetime.date | None = None,
) -> list[AllianceRow]:
    """Every visible alliance with its member count, lead, last report and late/missing reports.

    Three queries whatever the number of alliances: the alliances, their current members' leads and
    counts, and their reports; the flags are computed in Python from those.
    """
    on = on or schedule.today()
    alliances = alliances_visible_to(user).annotate(
        member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)),
    )
    q = (q or "").strip()
    if q:
        alliances = alliances.filter(Q(name__contains=q) | Q(initiator__name__contains=q))
    if status:
        alliances = alliances.filter(status=status)
    if industry:
        alliances = alliances.filter(industry_id=industry)
    alliance_list = list(alliances.order_by("name", "id"))
    ids = [a.pk for a in alliance_list]
    leads = dict(
        Membership.objects.filter(alliance_id__in=ids, is_lead=True).values_list(
            "alliance_id", "organisation__name"
        )
    )
    reports: dict[int, list[HalfYearReport]] = defaultdict(list)
    for report in HalfYearReport.objects.filter(alliance_id__in=ids).only(
        "id", "alliance_id", "year", "half", "status", "first_submitted_at"
    ):
        reports[report.alliance_id].append(report)
    rows = []
    for alliance in alliance_list:
        states = schedule.period_states(alliance, reports[alliance.pk], on)
        submitted = [s.period for s in states if s.submitted]
        row = AllianceRow(
            alliance=alliance,
            member_count=alliance.member_count,
            lead_name=leads.get(alliance.pk, ""),  # type: ignore[attr-defined]
            last_period=max(submitted) if submitted else None,
            missing=[s.period for s in states if s.missing],
            late=[s.period for s in states if s.late],
            awaiting_review=sum(1 for r in reports[alliance.pk] if r.status == ReportStatus.SUBMITTED),
            returned=sum(1 for r in reports[alliance.pk] if r.status == ReportStatus.RETURNED),
        )
        if overdue_only and not row.missing:
            continue
        rows.append(row)
    return rows


# --- statistics --------------------------------------------------------------------------------


def statistics(user: Any) -> dict[str, Any]:
    """Across the visible alliances: members of active alliances by category (official order), and
    people trained per half year from submitted and accepted reports."""
    alliances = alliances_visible_to(user)
    by_category = dict(
        Membership.objects.filter(
            alliance__in=alliances.filter(status=AllianceStatus.ACTIVE), left_on__isnull=True
        )
        .values_list("organisation__category")
        .annotate(n=Count("id"))
        .values_list("organisation__category", "n")
    )
    members = [
        {"category": value, "label": str(label), "count": by_category.get(value, 0)}
        for value, label in OrganisationCategory.choices
    ]
    trained = (
        HalfYearReport.objects.filter(
            alliance__in=alliances, status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]
        )
        .values("year", "half")
        .annotate(trained=Sum("lines__trained"), reports=Count("id", distinct=True))
        .order_by("year", "half")
    )
    per_half_year = [
        {
            "period": str(HalfYear(r["year"], r["half"])),
            "trained": int(r["trained"] or 0),
            "reports": r["reports"],
        }
        for r in trained
    ]
    status_counts = dict(alliances.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    statuses = [
        {"status": value, "label": str(label), "count": status_counts.get(value, 0)}
        for value, label in AllianceStatus.choices
    ]
    return {
        "members_by_category": members,
        "trained_per_half_year": per_half_year,
        "alliances_by_status": statuses,
        "alliance_count": sum(status_counts.values()),
        "member_total": sum(m["count"] for m in members),
    }


def notices_for(user: Any, *, limit: int = 20) -> list[Notice]:
    """Reminders addressed to the initiator's users (shown on their alliance pages)."""
    if _role(user) != "organisation_user":
        return []
    return list(
        Notice.objects.filter(alliance__initiator_id=user.organisation_id)
        .select_related("alliance")
        .order_by("-on_date", "-id")[:limit]
    )
