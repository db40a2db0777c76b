"""Apprenticeship fixtures: a Changan enterprise with a high-skilled mentor and an employee to enrol,
a technical school, the plan's occupation (车工), and terms that pass every rule."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.utils import timezone

from skillcity.accounts.models import Role
from skillcity.apprenticeship.models import StudyMode
from skillcity.apprenticeship.services import Terms, apprenticeship_enrol, one_year_after
from skillcity.registry.models import OrganisationCategory, SkillRecord
from skillcity.registry.services import skill_record_add
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory, WorkerFactory


@pytest.fixture
def lathe(db):
    return OccupationFactory(code="6-18-01-01", name="车工")


@pytest.fixture
def school(changan):
    return OrganisationFactory(
        town=changan, name="东莞市长安技工学校", category=OrganisationCategory.TECHNICAL_SCHOOL
    )


@pytest.fixture
def school_user(school):
    return UserFactory(username="school_user", role=Role.ORGANISATION_USER, organisation=school)


@pytest.fixture
def mentor(changan, changan_enterprise, lathe, bureau_officer):
    worker = WorkerFactory(town=changan, employer=changan_enterprise, name="李师傅")
    skill_record_add(
        worker=worker,
        kind=SkillRecord.Kind.SKILL_LEVEL,
        actor=bureau_officer,
        obtained_on=datetime.date(2018, 6, 1),
        occupation=lathe,
        level=2,
    )
    worker.refresh_from_db()
    return worker


@pytest.fixture
def humen_enterprise(humen):
    return OrganisationFactory(town=humen, name="东莞市虎门服装有限公司")


@pytest.fixture
def other_enterprise_user(humen_enterprise):
    return UserFactory(
        username="other_enterprise", role=Role.ORGANISATION_USER, organisation=humen_enterprise
    )


def start_day() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=30)


@pytest.fixture
def terms(school, lathe, mentor) -> Terms:
    start = start_day()
    end = one_year_after(start) + datetime.timedelta(days=180)
    return Terms(
        school=school,
        occupation=lathe,
        level=4,
        contract_start=start,
        contract_end=end,
        registration_number="XJ2026001",
        study_mode=StudyMode.NON_FULL_TIME,
        registration_start=start,
        registration_end=end,
        enterprise_mentor=mentor,
        school_mentor="王老师",
    )


def change(terms: Terms, **values) -> Terms:
    return dataclasses.replace(terms, **values)


@pytest.fixture
def apprenticeship(changan_worker, changan_enterprise, terms, enterprise_user):
    return apprenticeship_enrol(
        worker=changan_worker, enterprise=changan_enterprise, terms=terms, actor=enterprise_user
    )


def auth(user):
    from skillcity.accounts.services import token_create

    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}
