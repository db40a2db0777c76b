"""Matching's test data: occupations, a worker's level from records, a need posted by the enterprise."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.accounts.models import Role
from skillcity.matching.services import job_need_create, seeker_need_record
from skillcity.registry.models import SkillRecord
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory


@pytest.fixture
def lathe(db):
    return OccupationFactory(code="6-18-01-01", name="车工")


@pytest.fixture
def welder(db):
    return OccupationFactory(code="6-18-02-04", name="焊工")


def holds(worker, occupation, level: int) -> SkillRecord:
    """A skill-level record: the only way a worker's level is known to matching."""
    return SkillRecord.objects.create(
        worker=worker,
        kind=SkillRecord.Kind.SKILL_LEVEL,
        occupation=occupation,
        level=level,
        obtained_on=datetime.date(2022, 6, 1),
        certificate_number="S000000000000000000001",
    )


def post_need(user, occupation, town, *, level=3, head_count=2, fair=None, **extra):
    return job_need_create(
        actor=user,
        occupation=occupation,
        level=level,
        town=town,
        head_count=head_count,
        wage_min=extra.get("wage_min", Decimal("6000")),
        wage_max=extra.get("wage_max", Decimal("9000")),
        start=extra.get("start", datetime.date(2026, 3, 1)),
        fair=fair,
    )


def seek(user, occupation, *towns):
    return seeker_need_record(actor=user, occupation=occupation, towns=list(towns))


@pytest.fixture
def other_enterprise_user(humen):
    org = OrganisationFactory(town=humen, name="东莞市虎门服装有限公司")
    return UserFactory(username="other_enterprise", role=Role.ORGANISATION_USER, organisation=org)


@pytest.fixture
def other_worker_user(humen_worker):
    return UserFactory(username="other_worker", role=Role.WORKER, worker=humen_worker)


def auth(user):
    from skillcity.accounts.services import token_create

    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


@pytest.fixture
def matched(enterprise_user, worker_user, lathe, changan):
    holds(worker_user.worker, lathe, 3)
    seek(worker_user, lathe, changan)
    need = post_need(enterprise_user, lathe, changan)
    from skillcity.matching.models import Match

    return Match.objects.get(need=need)
