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


def test_the_demo_step_builds_activity_once(changan):
    from skillcity.accounts.models import Role
    from skillcity.grants.models import Payment
    from tests.factories import UserFactory

    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    OccupationFactory()
    OrganisationFactory(town=changan, category=OrganisationCategory.TRAINING_INSTITUTION)
    for _ in range(30):
        WorkerFactory(town=changan)
    training_demo_step(1, io.StringIO())
    projects, enrolments = TrainingProject.objects.count(), Enrolment.objects.count()
    assert projects == 3 and enrolments == 90
    assert Voucher.objects.filter(state="expired").exists()
    assert Settlement.objects.filter(status="paid").exists()
    # Paid through grants, each payment under its treasury reference.
    assert Payment.objects.exists() and not Payment.objects.filter(treasury_reference="").exists()
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
