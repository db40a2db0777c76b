"""Training fixtures: a Changan training institution with a project, a class and a voucher."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.accounts.models import Role
from skillcity.registry.models import OrganisationCategory, Worker
from skillcity.training import services
from skillcity.training.models import Enrolment, TrainingClass, TrainingProject, VoucherBatch
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory

TODAY = datetime.date(2025, 3, 1)


@pytest.fixture
def lathe(db):
    return OccupationFactory(code="6-18-01-01", name="车工")


@pytest.fixture
def welder(db):
    return OccupationFactory(code="6-18-02-04", name="焊工")


@pytest.fixture
def institution(changan):
    return OrganisationFactory(
        town=changan, name="东莞市长安职业培训学校", category=OrganisationCategory.TRAINING_INSTITUTION
    )


@pytest.fixture
def other_institution(humen):
    return OrganisationFactory(
        town=humen, name="东莞市虎门技能培训中心", category=OrganisationCategory.TRAINING_INSTITUTION
    )


@pytest.fixture
def institution_user(institution):
    return UserFactory(username="institution_user", role=Role.ORGANISATION_USER, organisation=institution)


@pytest.fixture
def other_institution_user(other_institution):
    return UserFactory(
        username="other_institution_user", role=Role.ORGANISATION_USER, organisation=other_institution
    )


@pytest.fixture
def project(institution, lathe) -> TrainingProject:
    return services.project_create(
        provider=institution,
        name="数控车工中级班",
        occupation=lathe,
        level=4,
        per_person_standard=Decimal("2500"),
        capacity=30,
        start_date=datetime.date(2025, 2, 1),
        end_date=datetime.date(2025, 5, 31),
        actor="test",
    )


@pytest.fixture
def training_class(project) -> TrainingClass:
    return services.class_create(
        project=project,
        name="一班",
        start_date=datetime.date(2025, 2, 1),
        end_date=datetime.date(2025, 5, 31),
        actor="test",
    )


@pytest.fixture
def enrolment(training_class, changan_worker) -> Enrolment:
    return services.enrolment_create(
        training_class=training_class,
        worker=changan_worker,
        enrolled_on=datetime.date(2025, 2, 1),
        actor="test",
    )


def issue(workers, *, occupations=None, valid_to=datetime.date(2030, 12, 31)) -> VoucherBatch:
    return services.voucher_batch_issue(
        name="2025年第一批",
        face_value=Decimal("800"),
        valid_from=datetime.date(2025, 1, 1),
        valid_to=valid_to,
        workers=Worker.objects.filter(pk__in=[w.pk for w in workers]),
        occupations=occupations,
        actor="test",
    )


@pytest.fixture
def training_funds(db):
    """A fund for each training rule, 2024–2026: settlements are approved and paid through grants."""
    from skillcity.grants.models import Fund

    return Fund.objects.bulk_create(
        Fund(programme=rule, year=year, name=f"{rule} {year}", total=Decimal("10000000"))
        for rule in ("TRN-PROJECT", "TRN-UPSKILL", "TRN-PAYEE")
        for year in (2024, 2025, 2026)
    )


@pytest.fixture
def finance_bureau(bureau_officer):
    """The bureau officer, in the finance group: approves and pays."""
    from django.contrib.auth.models import Group

    from skillcity.grants.flows import FINANCE_GROUP

    bureau_officer.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    return bureau_officer
