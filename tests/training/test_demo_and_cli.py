from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from skillcity.registry.models import OrganisationCategory
from skillcity.training.demo import training_demo_step
from skillcity.training.models import Enrolment, Settlement, TrainingProject, Voucher
from tests.factories import OccupationFactory, OrganisationFactory, WorkerFactory
from tests.training.conftest import issue

pytestmark = pytest.mark.django_db


def test_the_demo_step_builds_activity_once(changan, humen):
    from django.db.models import Count

    from skillcity.accounts.models import Role
    from skillcity.grants.demo import demo_funds
    from skillcity.grants.models import Payment
    from skillcity.training.models import ShortageCatalogEntry
    from tests.factories import UserFactory

    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)  # approves and pays through grants
    demo_funds(1, io.StringIO())  # the demo's first step: a fund per money rule and year
    OccupationFactory()
    OrganisationFactory(town=changan, category=OrganisationCategory.TRAINING_INSTITUTION)
    for i in range(30):
        WorkerFactory(town=changan if i % 3 else humen)
    training_demo_step(1, io.StringIO())
    projects, enrolments = TrainingProject.objects.count(), Enrolment.objects.count()
    # A spring project a year, and an autumn one in 2025; five trainees a class in a city this small.
    assert projects == 4 and enrolments == 20
    assert not Enrolment.objects.annotate(days=Count("attendances")).filter(days=0).exists()
    states = set(Voucher.objects.values_list("state", flat=True))
    assert {"issued", "redeemed", "settled", "expired"} <= states
    # Every town with vouchers has redemptions.
    for town in (changan, humen):
        assert Voucher.objects.filter(town=town, state__in=["redeemed", "settled"]).exists()
    assert set(Settlement.objects.values_list("status", flat=True)) >= {"paid", "calculated"}
    # Paid through grants, each payment under its treasury reference.
    assert Payment.objects.exists() and not Payment.objects.filter(treasury_reference="").exists()
    catalog = ShortageCatalogEntry.objects.all()
    assert set(catalog.values_list("year", flat=True)) == {2023, 2024, 2025}
    assert all(e.is_demo_value and e.category in ("第四大类", "第六大类") for e in catalog)
    training_demo_step(1, io.StringIO())
    assert TrainingProject.objects.count() == projects


def test_the_expire_command_reports_its_count(changan_worker):
    import datetime

    issue([changan_worker], valid_to=datetime.date(2025, 1, 31))
    out = io.StringIO()
    call_command("vouchers", "expire", "--today", "2025-03-01", stdout=out)
    assert "expired 1 vouchers" in out.getvalue()


def test_the_settle_command_refuses_a_bad_period(institution):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("settle", "--provider", str(institution.pk), "--period", "2025H3")


def test_the_settle_command_settles(institution, training_class):
    out = io.StringIO()
    call_command("settle", "--provider", institution.uscc, "--period", "2025H1", stdout=out)
    assert "0 lines" in out.getvalue()
    assert Settlement.objects.get(provider=institution).status == "calculated"
