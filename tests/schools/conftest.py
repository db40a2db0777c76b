"""School fixtures: a private technical school with its user, majors and a worker who studies there."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from skillcity.accounts.models import Role
from skillcity.registry.models import OrganisationCategory
from skillcity.schools.models import IndustryFit, Ownership
from skillcity.schools.services import major_create, school_register
from tests.factories import OrganisationFactory, UserFactory, WorkerFactory


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def school_org(changan):
    return OrganisationFactory(
        town=changan, name="东莞市长安技工学校", category=OrganisationCategory.TECHNICAL_SCHOOL
    )


@pytest.fixture
def school(school_org, bureau_officer):
    return school_register(actor=bureau_officer, organisation=school_org, ownership=Ownership.PRIVATE)


@pytest.fixture
def public_school(humen, bureau_officer):
    org = OrganisationFactory(
        town=humen, name="东莞市虎门技师学院", category=OrganisationCategory.TECHNICAL_SCHOOL
    )
    return school_register(actor=bureau_officer, organisation=org, ownership=Ownership.PUBLIC)


@pytest.fixture
def school_user(school):
    return UserFactory(username="school_user", role=Role.ORGANISATION_USER, organisation=school.organisation)


@pytest.fixture
def public_school_user(public_school):
    return UserFactory(
        username="public_school_user", role=Role.ORGANISATION_USER, organisation=public_school.organisation
    )


@pytest.fixture
def major(school, school_user):
    return major_create(
        actor=school_user,
        school=school,
        name="数控技术应用",
        code="0201",
        industry_fit=IndustryFit.STRATEGIC_EMERGING,
        enterprise_training=True,
    )


@pytest.fixture
def student(changan):
    return WorkerFactory(town=changan, name="李同学")
