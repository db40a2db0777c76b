# ruff: noqa: F811  (the fixtures imported from catalogue_fixtures are named as the tests' arguments)
"""Statistics computed from the records: a provider's course, the bureau's figures, a town officer's
own town, learners online now (a statement stored in the last 90 s)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from skillcity.learning.models import Completion, CourseState, Enrolment, EnrolmentState, Statement, Verb
from skillcity.learning.selectors import stats
from tests.factories import IndustryFactory, WorkerFactory
from tests.learning.catalogue_fixtures import (  # noqa: F401
    _media_in_tmp,
    make_course,
    other_provider,
    other_provider_user,
    provider,
    provider_user,
)

pytestmark = pytest.mark.django_db


def _complete(enrolment: Enrolment) -> None:
    enrolment.state, enrolment.progress = EnrolmentState.COMPLETED, 100
    enrolment.save()
    Completion.objects.create(
        worker=enrolment.worker,
        course=enrolment.course,
        enrolment=enrolment,
        number=f"XX{enrolment.pk:06d}",
        hours=1,
        completed_on=timezone.localdate(),
    )


def _statement(worker, lesson, seconds_ago: int) -> None:
    now = timezone.now()
    Statement.objects.create(
        uuid=uuid.uuid4(),
        worker=worker,
        lesson=lesson,
        verb=Verb.PROGRESSED,
        timestamp=now,
        stored=now - datetime.timedelta(seconds=seconds_ago),
    )


@pytest.fixture
def city(provider, changan, humen):
    """Two Changan learners and one Humen learner in a strategic-industry course; one course more."""
    electronics = IndustryFactory()
    course = make_course(provider, title="数控车工（中级）")
    course.industries.add(electronics)
    other = make_course(provider, title="职场沟通")
    make_course(provider, title="草稿", state=CourseState.DRAFT)
    a, b = WorkerFactory(town=changan), WorkerFactory(town=changan)
    c = WorkerFactory(town=humen)
    ea = Enrolment.objects.create(worker=a, course=course, progress=0)
    eb = Enrolment.objects.create(worker=b, course=course, progress=40)
    ec = Enrolment.objects.create(worker=c, course=course)
    Enrolment.objects.create(worker=a, course=other, progress=10)
    _complete(ec)
    lesson = course.lessons.first()
    # In the order the server stores them (`stored` grows with the row's id).
    _statement(c, lesson, 200)  # left more than three heartbeats ago
    _statement(b, lesson, 60)
    _statement(a, lesson, 10)
    _statement(a, lesson, 5)  # the same learner twice counts once
    return {
        "course": course,
        "other": other,
        "workers": (a, b, c),
        "enrolments": (ea, eb, ec),
        "industry": electronics,
    }


def test_course_figures(city):
    f = stats.course_figures(city["course"])
    assert (f["enrolled"], f["not_started"], f["in_progress"], f["completed"]) == (3, 1, 1, 1)
    assert f["rate"] == 33 and f["average_progress"] == round((0 + 40 + 100) / 3)
    assert [(r.label, r.enrolled, r.completed) for r in f["towns"]] == [("长安镇", 2, 0), ("虎门镇", 1, 1)]


def test_bureau_figures(city):
    f = stats.bureau_figures()
    assert f["catalogue"]["published"] == 2 and f["catalogue"]["target"] == 1000
    assert f["catalogue"]["strategic"] == 1 and f["catalogue"]["strategic_target"] == 125
    assert dict((str(k), v) for k, v in f["catalogue"]["categories"])["技能"] == 2
    assert f["learners"] == {
        "learners": 3,
        "enrolments": 4,
        "completions": 1,
        "completed_learners": 1,
        "online": 2,
    }
    assert [(r.label, r.enrolled, r.completed) for r in f["towns"]] == [("虎门镇", 1, 1), ("长安镇", 3, 0)]
    assert [(r.label, r.enrolled, r.completed, r.extra["courses"]) for r in f["industries"]] == [
        (city["industry"].name, 3, 1, 1)
    ]
    assert [(r.label, r.enrolled, r.completed) for r in f["courses"]] == [
        ("数控车工（中级）", 3, 1),
        ("职场沟通", 1, 0),
    ]


def test_a_town_officers_figures_are_their_towns_learners(city, changan):
    f = stats.bureau_figures(changan)
    assert (
        f["learners"]["learners"] == 2 and f["learners"]["completions"] == 0 and f["learners"]["online"] == 2
    )
    assert [r.label for r in f["towns"]] == ["长安镇"]
    assert f["catalogue"]["published"] == 2  # the catalogue is the city's


def test_the_stats_page_and_api_by_role(
    client, city, bureau_officer, changan_officer, humen_officer, worker_user, enterprise_user
):
    client.force_login(bureau_officer)
    page = client.get("/learning/stats/").content.decode()
    assert "T-COURSES" in page and 'data-figure="online">2<' in page and "数控车工（中级）" in page
    client.force_login(humen_officer)
    page = client.get("/learning/stats/").content.decode()
    assert 'data-figure="learners">1<' in page and 'data-figure="completions">1<' in page
    api = client.get("/api/v1/learning/stats").json()
    assert (
        api["town"] == "虎门镇"
        and api["learners"]["learners"] == 1
        and [r["label"] for r in api["towns"]] == ["虎门镇"]
    )
    for user in (worker_user, enterprise_user):
        client.force_login(user)
        assert client.get("/learning/stats/").status_code == 403
        assert client.get("/api/v1/learning/stats").status_code == 403


def test_the_course_stats_page_is_its_providers_and_the_bureaus(
    client, city, provider_user, other_provider_user, bureau_officer
):
    url = f"/learning/provider/courses/{city['course'].pk}/stats/"
    client.force_login(provider_user)
    page = client.get(url).content.decode()
    assert 'data-figure="enrolled">3<' in page and 'data-figure="rate">33%<' in page and "虎门镇" in page
    providers = client.get("/learning/provider/").content.decode()
    assert "数控车工（中级）" in providers and "33%" in providers
    api = client.get(f"/api/v1/learning/provider/courses/{city['course'].pk}/stats").json()
    assert api["completed"] == 1 and api["average_progress"] == 47
    client.force_login(other_provider_user)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/learning/provider/courses/{city['course'].pk}/stats").status_code == 404
    client.force_login(bureau_officer)
    assert client.get(url).status_code == 200


def test_online_now_counts_distinct_workers_with_a_statement_in_the_last_90_seconds(provider, changan, humen):
    course = make_course(provider)
    lesson = course.lessons.first()
    a, b, c = WorkerFactory(town=changan), WorkerFactory(town=humen), WorkerFactory(town=changan)
    now = timezone.now()
    _statement(c, lesson, 300)
    _statement(a, lesson, 91)
    _statement(b, lesson, 30)
    _statement(a, lesson, 20)
    _statement(b, lesson, 1)
    assert stats.online_now(now=now) == 2
    assert stats.online_now(changan, now=now) == 1
    assert stats.online_now(now=now + datetime.timedelta(seconds=80)) == 1
    assert stats.online_now(now=now + datetime.timedelta(seconds=200)) == 0
