"""The studios demo step: 205 open platforms (5 national, 11 provincial, 189 city; 40 recognised in 2022),
84 applications for 2023, reports with registry apprentices, failures and a closure with their reasons,
and money in grants in various states; a second run makes nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db.models import Count

from skillcity.accounts.models import Role
from skillcity.grants import services as grants
from skillcity.grants.models import Application
from skillcity.platforms.demo_studios import studios_demo
from skillcity.platforms.models import Studio, StudioApprentice, StudioReport, StudioState
from skillcity.platforms.selectors import studios as selectors
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory, make_resident_id

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_builds_the_baselines_and_money_in_various_states(changan):
    bureau = UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    grants.fund_create(
        actor=bureau,
        programme="PLT-STUDIO",
        year=2022,
        last_year=2026,
        name="技能大师工作室",
        total=Decimal("25000000"),
    )
    units = [OrganisationFactory(town=changan, name=f"演示企业{i}") for i in range(40)]
    UserFactory(username="enterprise", role=Role.ORGANISATION_USER, organisation=units[0])
    for i in range(600):
        birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=i)
        WorkerFactory(
            town=changan,
            employer=units[i % 40],
            highest_level=1 + i % 4,
            id_number=make_resident_id(birth=birth, serial=i),
            birth_date=birth,
        )
    out = io.StringIO()
    studios_demo(2026, out)
    assert "84 applications for 2023" in out.getvalue()
    p = selectors.progress()
    assert next(y for y in p.years if y.year == 2022).recognised == 40
    assert next(y for y in p.years if y.year == 2023).applications == 84
    assert next(y for y in p.years if y.year == 2023).recognised == 30
    states = dict(Studio.objects.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    assert states[StudioState.FAILED] == 2 and states[StudioState.CLOSED] == 1
    assert states[StudioState.REJECTED] == 14 and states[StudioState.SUBMITTED] == 21
    # 205 platforms before 2023: 189 city, 11 provincial, 5 national (then one 2022 studio failed …).
    before = Studio.objects.filter(recognised_on__year__lt=2023)
    levels = dict(before.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    assert before.count() == 205
    assert levels["national"] >= 5 and levels["provincial"] >= 11
    assert Studio.objects.filter(level="", state=StudioState.RECOGNISED).count() == 0
    money = set(Application.objects.filter(rule_id="PLT-STUDIO").values_list("state", flat=True))
    assert {"paid", "approved", "in_notice", "in_review"} <= money
    assert StudioApprentice.objects.exists() and StudioReport.objects.filter(result="pending").count() == 2
    own = Studio.objects.filter(organisation=units[0], name__endswith="精密加工技能大师工作室")
    assert sorted(own.values_list("state", flat=True)) == ["recognised", "submitted"]
    assert (
        Application.objects.get(
            source_key=f"platforms.studios.{own.get(state='recognised').pk}:new_city"
        ).state
        == "paid"
    )
    count = Studio.objects.count()
    studios_demo(2026, io.StringIO())
    assert Studio.objects.count() == count


def test_a_small_demo_city_still_gets_its_studios_without_the_samples_it_has_no_leads_for(changan):
    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    unit = OrganisationFactory(town=changan, name="演示企业")
    for i in range(12):
        WorkerFactory(town=changan, employer=unit, highest_level=1 + i % 4)
    studios_demo(2026, io.StringIO())
    assert (
        Studio.objects.filter(recognised_on__year__lte=2022).count() == 9
    )  # every high-skilled worker leads one
    assert not Studio.objects.filter(upgrades__isnull=False, state=StudioState.CLOSED).exists()
