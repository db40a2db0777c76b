"""The schools demo step: 8 technical schools with about 27,000 students, graduates, international
classes, reports and EDU applications made from the records in several grants states; a second run
makes nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from skillcity.accounts.models import Role, User
from skillcity.grants import services as grants
from skillcity.grants.models import Application, ApplicationState
from skillcity.schools.demo import schools_demo
from skillcity.schools.models import Graduation, RollCount, School
from skillcity.schools.selectors import progress
from tests.factories import UserFactory, WorkerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_makes_eight_schools_with_about_27000_students(changan, humen):
    bureau = UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    UserFactory(username="changan_officer", role=Role.TOWN_OFFICER, town=changan)
    UserFactory(username="humen_officer", role=Role.TOWN_OFFICER, town=humen)
    for rule in (
        "EDU-DEMO-MAJOR",
        "EDU-MAJOR-BUILD",
        "EDU-INTL-CLASS",
        "EDU-INTL-CERT",
        "EDU-SOCIAL-TRAINING",
    ):
        grants.fund_create(
            actor=bureau, programme=rule, year=2024, last_year=2025, name=rule, total=Decimal("90000000")
        )
    WorkerFactory.create_batch(300, town=changan)
    out = io.StringIO()
    schools_demo(2026, out)
    assert School.objects.filter(kind="technical").count() == 8
    assert School.objects.filter(ownership="private").count() == 3
    p = progress(2025)
    assert 26_000 <= p.students <= 30_000 and p.advanced / p.students >= 0.40
    assert RollCount.objects.filter(year=2023).exists() and Graduation.objects.exists()
    states = set(
        Application.objects.filter(source_key__startswith="schools.").values_list("state", flat=True)
    )
    assert ApplicationState.IN_REVIEW in states and len(states) >= 2, states
    assert User.objects.get(username="school").organisation.school.is_private
    before = (School.objects.count(), Application.objects.count())
    schools_demo(2026, io.StringIO())
    assert (School.objects.count(), Application.objects.count()) == before
