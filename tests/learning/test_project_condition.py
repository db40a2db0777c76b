"""Issue 18: a training project can require an online course; a trainee who has not completed it is
refused with a reason naming the course, one who has is enrolled."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from skillcity.accounts.models import Role
from skillcity.core.errors import DomainError
from skillcity.learning.models import Completion, CourseState
from skillcity.registry.models import OrganisationCategory
from skillcity.training import services
from skillcity.training.models import Enrolment, TrainingProject
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory
from tests.learning.ingest import course_with_lessons, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def institution(changan):
    return OrganisationFactory(
        town=changan, name="长安职业培训学校", category=OrganisationCategory.TRAINING_INSTITUTION
    )


@pytest.fixture
def course():
    return course_with_lessons(code="KC0100")


def make_project(institution, **extra) -> TrainingProject:
    return services.project_create(
        provider=institution,
        name="数控车工中级班",
        occupation=OccupationFactory(),
        level=4,
        per_person_standard=Decimal("2500"),
        capacity=30,
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2027, 3, 31),
        actor="test",
        **extra,
    )


def a_class(project):
    return services.class_create(
        project=project, name="一班", start_date=project.start_date, end_date=project.end_date, actor="test"
    )


def test_a_trainee_without_the_completion_is_refused_naming_the_course(institution, course, changan_worker):
    project = make_project(institution, required_course=course.code)
    assert project.required_course == course
    with pytest.raises(DomainError) as refused:
        services.enrolment_create(
            training_class=a_class(project),
            worker=changan_worker,
            enrolled_on=datetime.date(2026, 12, 7),
            actor="t",
        )
    assert refused.value.code == "required_course_not_completed"
    assert "课程KC0100" in str(refused.value.message) and "KC0100" in str(refused.value.message)
    assert not Enrolment.objects.exists()


def test_a_trainee_with_the_completion_is_enrolled(institution, course, changan_worker):
    project = make_project(institution, required_course=course)
    Completion.objects.create(
        worker=changan_worker,
        course=course,
        enrolment=enrol(changan_worker, course),
        number="XX2026-00000001",
        hours=Decimal("0.2"),
        completed_on=datetime.date(2026, 12, 1),
    )
    enrolment = services.enrolment_create(
        training_class=a_class(project),
        worker=changan_worker,
        enrolled_on=datetime.date(2026, 12, 7),
        actor="t",
    )
    assert enrolment.worker == changan_worker


def test_a_project_without_a_required_course_enrols_as_before(institution, changan_worker):
    project = make_project(institution)
    assert project.required_course is None
    services.enrolment_create(
        training_class=a_class(project),
        worker=changan_worker,
        enrolled_on=datetime.date(2026, 12, 7),
        actor="t",
    )


def test_only_a_published_course_can_be_required(institution, course):
    course.state = CourseState.DRAFT
    course.save()
    for raw in (course.code, "NOPE"):
        with pytest.raises(DomainError) as refused:
            make_project(institution, required_course=raw)
        assert "required_course" in refused.value.fields


def test_the_form_and_the_page_show_the_required_course(institution, course):
    user = UserFactory(role=Role.ORGANISATION_USER, organisation=institution)
    occupation = OccupationFactory()
    client = Client()
    client.force_login(user)
    form = client.get("/training/projects/new/").content.decode()
    assert 'name="required_course"' in form and "须先完成的在线课程编号" in form
    response = client.post(
        "/training/projects/new/",
        {
            "name": "车工",
            "occupation": occupation.code,
            "per_person_standard": "2000",
            "capacity": "10",
            "start_date": "2026-12-01",
            "end_date": "2027-01-31",
            "required_course": course.code.lower(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    project = TrainingProject.objects.get()
    assert project.required_course == course
    page = client.get(response["Location"]).content.decode()
    assert "须先完成在线课程" in page and "KC0100" in page


def test_the_api_takes_and_shows_the_required_course(institution, course):
    from skillcity.accounts.services import token_create

    user = UserFactory(role=Role.ORGANISATION_USER, organisation=institution)
    _, clear = token_create(user=user, name="t", actor="test")
    occupation = OccupationFactory()
    response = Client().post(
        "/api/v1/training/projects",
        {
            "name": "车工",
            "occupation_code": occupation.code,
            "per_person_standard": "2000",
            "capacity": 10,
            "start_date": "2026-12-01",
            "end_date": "2027-01-31",
            "required_course_id": course.pk,
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {clear}"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["required_course_id"] == course.pk
