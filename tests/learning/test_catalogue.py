# ruff: noqa: F811  (the fixtures imported from catalogue_fixtures are named as the tests' arguments)
"""The public catalogue: published courses only, search and filters, the course page, the API."""

from __future__ import annotations

import pytest

from skillcity.learning.models import Category, CourseState, Enrolment
from tests.factories import IndustryFactory, OccupationFactory
from tests.learning.catalogue_fixtures import _media_in_tmp, make_course, provider  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses(provider):
    electronics = IndustryFactory(code="new_generation_electronics", name="新一代电子信息")
    lathe = OccupationFactory(code="6-18-01-01", name="车工")
    turning = make_course(provider, title="数控车工（中级）", occupation=lathe, level=4)
    turning.industries.add(electronics)
    return {
        "turning": turning,
        "diploma": make_course(
            provider, title="机电技术应用（中职）", category=Category.DIPLOMA, summary="非全日制中职"
        ),
        "general": make_course(provider, title="职场沟通", category=Category.GENERAL),
        "draft": make_course(provider, title="未发布的草稿课程", state=CourseState.DRAFT),
        "electronics": electronics,
        "lathe": lathe,
    }


def _titles(client, query: str = "") -> list[str]:
    page = client.get(f"/learning/{query}")
    assert page.status_code == 200
    html = page.content.decode()
    return [
        c for c in ("数控车工（中级）", "机电技术应用（中职）", "职场沟通", "未发布的草稿课程") if c in html
    ]


def test_anyone_browses_published_courses_only(client, courses):
    assert _titles(client) == ["数控车工（中级）", "机电技术应用（中职）", "职场沟通"]


def test_search_and_filters(client, courses):
    assert _titles(client, "?q=中职") == ["机电技术应用（中职）"]  # the title and the summary
    assert _titles(client, "?q=非全日制") == ["机电技术应用（中职）"]
    assert _titles(client, "?category=general") == ["职场沟通"]
    assert _titles(client, f"?occupation={courses['lathe'].pk}") == ["数控车工（中级）"]
    assert _titles(client, f"?industry={courses['electronics'].pk}") == ["数控车工（中级）"]
    assert _titles(client, "?level=4") == ["数控车工（中级）"]
    assert _titles(client, "?level=2") == []


def test_bad_filters_are_ignored_and_named(client, courses):
    page = client.get("/learning/?occupation=x&level=99&page=abc").content.decode()
    assert "数控车工（中级）" in page and "以下筛选条件无效" in page


def test_the_catalogue_is_paginated_and_counts_in_one_query_per_page(
    client, provider, django_assert_max_num_queries
):
    for n in range(25):
        make_course(provider, title=f"课程{n:02d}", lessons=1)
    with django_assert_max_num_queries(8):
        page = client.get("/learning/").content.decode()
    assert page.count("sc-course-card") == 20 and "第 1 / 2 页" in page


def test_cards_show_hours_lessons_and_enrolled(client, courses, changan_worker):
    Enrolment.objects.create(worker=changan_worker, course=courses["turning"])
    card = client.get("/learning/?q=数控").content.decode()
    assert "0.3" in card  # two lessons of 10 minutes
    assert "新一代电子信息" in card and "技能" in card


def test_the_course_page(client, courses):
    course = courses["turning"]
    page = client.get(f"/learning/courses/{course.code}/").content.decode()
    assert course.title in page and "第1讲" in page and "视频" in page and "10 分钟" in page
    assert 'id="enrol"' in page and "车工" in page
    assert client.get(f"/learning/courses/{courses['draft'].code}/").status_code in (302, 404)


def test_a_draft_is_visible_to_its_provider_and_the_bureau_only(
    client, courses, provider, bureau_officer, enterprise_user
):
    from tests.factories import UserFactory

    own = UserFactory(role="organisation_user", organisation=provider)
    url = f"/learning/courses/{courses['draft'].code}/"
    client.force_login(enterprise_user)
    assert client.get(url).status_code == 404
    client.force_login(own)
    assert client.get(url).status_code == 200
    client.force_login(bureau_officer)
    assert 'id="bureau-actions"' in client.get(url).content.decode()


def test_the_api_catalogue(client, courses):
    answer = client.get("/api/v1/learning/catalogue?category=skill&page_size=10").json()
    titles = [c["title"] for c in answer["items"]]
    assert "数控车工（中级）" in titles and "职场沟通" not in titles
    assert answer["items"][0]["lessons_count"] == 2
    detail = client.get(f"/api/v1/learning/catalogue/{courses['turning'].code}").json()
    assert [lesson["kind"] for lesson in detail["lessons"]] == ["video", "video"]
    assert client.get(f"/api/v1/learning/catalogue/{courses['draft'].code}").status_code == 404
    assert client.get("/api/v1/learning/catalogue?page_size=1000").status_code == 422
    assert client.get("/api/v1/learning/catalogue?level=9").status_code == 422


def test_the_catalogues_results_are_rendered_once_a_query_and_language(
    client, courses, django_assert_max_num_queries
):
    first = client.get("/learning/?category=skill").content.decode()
    with django_assert_max_num_queries(0):  # an anonymous visitor: nothing read for the same query again
        again = client.get("/learning/?category=skill").content.decode()

    def results(html: str) -> str:  # the cached part (the page around it carries a fresh CSRF token)
        return html.split('id="catalogue-filters"', 1)[1].split("</main>", 1)[0]

    assert results(again) == results(first) and "数控车工（中级）" in results(again)
    # Another query, or the same in English, is rendered for itself.
    assert _titles(client, "?category=general") == ["职场沟通"]
    client.cookies["django_language"] = "en"  # the language switch's cookie
    english = client.get("/learning/?category=skill").content.decode()
    assert "Search courses" in english and "数控车工（中级）" in english


def test_a_publish_an_unpublish_and_an_enrolment_show_in_the_catalogue_at_once(
    client, courses, bureau_officer, changan_worker, django_capture_on_commit_callbacks
):
    from skillcity.learning.services.courses.review import course_publish, course_unpublish
    from skillcity.learning.services.enrolments import enrolment_create

    draft = courses["draft"]
    assert "未发布的草稿课程" not in client.get("/learning/").content.decode()  # cached now
    draft.state = CourseState.SUBMITTED
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        course_publish(actor=bureau_officer, course=draft)
    assert "未发布的草稿课程" in client.get("/learning/").content.decode()

    def enrolled(html: str) -> str:
        card = html.split('data-code="' + courses["general"].code, 1)[1].split("</article>", 1)[0]
        return card.split("已报名", 1)[1].split("</dd>", 1)[0].rsplit(">", 1)[1]

    assert enrolled(client.get("/learning/").content.decode()) == "0"
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(actor=changan_worker_user(changan_worker), course=courses["general"])
    assert enrolled(client.get("/learning/").content.decode()) == "1"
    with django_capture_on_commit_callbacks(execute=True):
        course_unpublish(actor=bureau_officer, course=courses["general"], reason="内容需要更新，暂时下架")
    assert "职场沟通" not in client.get("/learning/").content.decode()


def changan_worker_user(worker):
    from tests.factories import UserFactory

    return UserFactory(role="worker", worker=worker)
