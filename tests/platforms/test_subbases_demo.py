"""The sub-base demo step: 16 recognised sub-bases and two applications, reports, three years of course
purchase within each year's 3,000 places, grants made from the rosters in several states; a second
run makes nothing."""

from __future__ import annotations

import io

import pytest
from django.db.models import Sum

from skillcity.accounts.models import Role
from skillcity.grants.demo import demo_funds
from skillcity.grants.models import Application
from skillcity.platforms.demo_subbases import subbases_demo
from skillcity.platforms.models import (
    CourseAllocation,
    CoursePurchaseQuota,
    Subbase,
    SubbaseReport,
    SubbaseState,
)
from skillcity.platforms.services import subbases as services
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory, WorkerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_has_16_sub_bases_with_course_purchases_within_the_quota(changan):
    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    for i in range(20):
        OrganisationFactory(town=changan, name=f"演示培训机构{i}", category="training_institution")
    OccupationFactory()
    for _ in range(400):
        WorkerFactory(town=changan)
    demo_funds(2026, io.StringIO())  # the demo's funds step runs first: every payment books against one
    out = io.StringIO()
    subbases_demo(2026, out)
    assert "16 recognised" in out.getvalue()
    assert Subbase.objects.filter(state=SubbaseState.RECOGNISED).count() == 16
    assert Subbase.objects.filter(state=SubbaseState.APPLIED).count() == 2
    assert SubbaseReport.objects.exists()
    for quota in CoursePurchaseQuota.objects.all():
        held = quota.allocations.exclude(state="cancelled").aggregate(n=Sum("places"))["n"]
        assert quota.places == 3000 and 0 < held <= 3000
    states = set(Application.objects.filter(rule_id="TRN-SUBBASE-COURSE").values_list("state", flat=True))
    assert {"paid", "in_review"} <= states and len(states) >= 4
    # Every grant's trainees are its course's roster as it stands.
    for app in Application.objects.filter(rule_id="TRN-SUBBASE-COURSE"):
        allocation = CourseAllocation.objects.get(pk=int(app.source_key.rsplit(":", 1)[1]))
        assert app.facts == services.course_facts(allocation)[0]
    before = (Subbase.objects.count(), CourseAllocation.objects.count(), Application.objects.count())
    subbases_demo(2026, io.StringIO())
    assert (Subbase.objects.count(), CourseAllocation.objects.count(), Application.objects.count()) == before
