"""The alliance demo step: 16 alliances with varied statuses and reports, deterministic, idempotent."""

from __future__ import annotations

import io

import pytest

from skillcity.alliances.demo import alliances_demo
from skillcity.alliances.models import (
    Alliance,
    AllianceEvent,
    AllianceStatus,
    HalfYearReport,
    Membership,
    Notice,
)
from skillcity.alliances.schedule import period_states, today
from skillcity.registry.models import Industry, OrganisationCategory
from tests.factories import OrganisationFactory, TownFactory

pytestmark = [pytest.mark.usefixtures("reference_data"), pytest.mark.slow]


@pytest.fixture
def demo_registry(db):
    town = TownFactory(name="长安镇")
    for industry in Industry.objects.all():
        for i in range(4):
            OrganisationFactory(
                town=town, industry=industry, total_staff=50 + i * 10, name=f"{industry.name}企业{i}"
            )
    for category, count in (
        (OrganisationCategory.TRAINING_INSTITUTION, 6),
        (OrganisationCategory.TECHNICAL_SCHOOL, 2),
        (OrganisationCategory.VOCATIONAL_COLLEGE, 3),
        (OrganisationCategory.INDUSTRY_ASSOCIATION, 3),
        (OrganisationCategory.RESEARCH_INSTITUTE, 4),
    ):
        for i in range(count):
            OrganisationFactory(town=town, category=category, name=f"{category}-{i}", total_staff=30)


def _digest() -> list[tuple]:
    return [
        (
            a.name,
            a.status,
            a.accepted_on,
            sorted(a.memberships.values_list("organisation__name", "is_lead", "joined_on")),
            sorted(
                HalfYearReport.objects.filter(alliance=a).values_list(
                    "year", "half", "status", "first_submitted_at"
                )
            ),
            sum(
                HalfYearReport.objects.filter(alliance=a)
                .values_list("lines__trained", flat=True)
                .exclude(lines__trained=None)
            ),
        )
        for a in Alliance.objects.order_by("name")
    ]


def _wipe() -> None:
    Notice.objects.all().delete()
    HalfYearReport.objects.all().delete()
    AllianceEvent.objects.all().delete()
    Alliance.objects.all().delete()


def test_the_demo_builds_varied_alliances_deterministically_and_only_once(demo_registry, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    alliances_demo(2026, out)
    assert "16 alliances" in out.getvalue()
    statuses = list(Alliance.objects.values_list("status", flat=True))
    assert len(statuses) == 16
    assert statuses.count(AllianceStatus.DISSOLVED) == 1 and statuses.count(AllianceStatus.RETURNED) == 1
    assert statuses.count(AllianceStatus.DRAFT) == 2 and statuses.count(AllianceStatus.ACTIVE) == 11
    assert len({a.industry_id for a in Alliance.objects.all()}) == 16
    for alliance in Alliance.objects.exclude(status=AllianceStatus.DRAFT):
        members = Membership.objects.filter(alliance=alliance)
        assert members.filter(is_lead=True, organisation__category="enterprise").count() == 1
        assert members.filter(organisation__category="research_institute").exists()
    states = [
        s
        for a in Alliance.objects.filter(status=AllianceStatus.ACTIVE)
        for s in period_states(a, a.reports.all(), today())
    ]
    assert sum(s.missing for s in states) == 2
    assert sum(s.late for s in states) >= 3
    periods = {str(r.period) for r in HalfYearReport.objects.all()}
    assert {"2020H1", "2025H2"} <= periods
    first = _digest()
    alliances_demo(2026, io.StringIO())  # a second start adds nothing
    assert _digest() == first
    _wipe()
    alliances_demo(2026, io.StringIO())
    assert _digest() == first
