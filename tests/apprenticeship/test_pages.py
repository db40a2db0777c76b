"""Apprenticeship through the pages: who sees which apprentices (by persona), enrolment with errors next
to the fields, the class rosters, and the list pages' query counts. The API is in test_api.py."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from skillcity.apprenticeship.models import Apprenticeship
from skillcity.apprenticeship.services import apprenticeship_enrol, one_year_after
from tests.apprenticeship.conftest import change
from tests.factories import WorkerFactory, make_resident_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def humen_apprenticeship(humen, humen_enterprise, terms, bureau_officer):
    mentor = WorkerFactory(town=humen, employer=humen_enterprise, name="虎门师傅")
    worker = WorkerFactory(town=humen, employer=humen_enterprise, name="虎门学徒")
    return apprenticeship_enrol(
        worker=worker,
        enterprise=humen_enterprise,
        terms=change(terms, enterprise_mentor=mentor),
        actor=bureau_officer,
    )


def test_who_sees_which_apprentices_on_the_pages(
    client,
    apprenticeship,
    humen_apprenticeship,
    bureau_officer,
    changan_officer,
    humen_officer,
    enterprise_user,
    other_enterprise_user,
    school_user,
    worker_user,
):
    seen = {}
    for name, user in (
        ("bureau", bureau_officer),
        ("changan", changan_officer),
        ("humen", humen_officer),
        ("enterprise", enterprise_user),
        ("other", other_enterprise_user),
        ("school", school_user),
    ):
        client.force_login(user)
        html = client.get("/apprenticeship/").content.decode()
        seen[name] = ("陈长安" in html, "虎门学徒" in html)
        detail = client.get(f"/apprenticeship/{apprenticeship.pk}/")
        assert detail.status_code == (200 if seen[name][0] else 404), name
    assert seen == {
        "bureau": (True, True),
        "changan": (True, False),
        "humen": (False, True),
        "enterprise": (True, False),
        "other": (False, True),
        "school": (True, True),  # the school trains both
    }
    client.force_login(worker_user)
    assert client.get("/apprenticeship/").status_code == 403
    assert client.get(f"/apprenticeship/{apprenticeship.pk}/").status_code == 403
    client.logout()
    assert client.get("/apprenticeship/").status_code == 302
    client.force_login(changan_officer)
    assert client.get("/apprenticeship/statistics/").status_code == 403
    client.force_login(bureau_officer)
    stats = client.get("/apprenticeship/statistics/").content.decode()
    assert "基数 19936 名" in stats and "长安镇" in stats and "虎门镇" in stats


def test_the_detail_shows_the_mentors_level_and_masks_the_id_number(client, apprenticeship, enterprise_user):
    client.force_login(enterprise_user)
    html = client.get(f"/apprenticeship/{apprenticeship.pk}/").content.decode()
    assert "李师傅 · 二级/技师（高技能人才）" in html and apprenticeship.worker.id_number not in html
    assert "培训中" in html and "None" not in html and "False" not in html


def form_data(terms, worker, **extra):
    data = {
        "id_number": worker.id_number,
        "name": worker.name,
        "school": terms.school.pk,
        "occupation": terms.occupation.pk,
        "level": 4,
        "contract_start": terms.contract_start.isoformat(),
        "contract_end": terms.contract_end.isoformat(),
        "registration_number": "XJ-9",
        "study_mode": "non_full_time",
        "registration_start": terms.registration_start.isoformat(),
        "registration_end": terms.registration_end.isoformat(),
        "enterprise_mentor": terms.enterprise_mentor.id_number,
        "school_mentor": "王老师",
    }
    return data | extra


def test_the_enrol_page_puts_each_error_next_to_its_field(
    client, terms, changan_worker, enterprise_user, school_user
):
    client.force_login(enterprise_user)
    short = (terms.contract_start + datetime.timedelta(days=100)).isoformat()
    bad = client.post(
        "/apprenticeship/new/", form_data(terms, changan_worker, contract_end=short, study_mode="full_time")
    )
    html = bad.content.decode()
    assert bad.status_code == 400 and 'id="error-contract_end"' in html and 'id="error-study_mode"' in html
    assert "学徒合同期限应不少于1年" in html and "非全日制" in html
    ok = client.post("/apprenticeship/new/", form_data(terms, changan_worker), follow=True)
    assert "已登记新型学徒：陈长安" in ok.content.decode()
    assert Apprenticeship.objects.filter(worker=changan_worker).count() == 1
    client.force_login(school_user)  # a school does not enrol an enterprise's employees itself
    assert client.get("/apprenticeship/new/").status_code == 403


def test_progress_and_leaving_on_the_detail_page(client, apprenticeship, school_user, enterprise_user):
    client.force_login(school_user)
    today = timezone.localdate().isoformat()
    bad = client.post(
        f"/apprenticeship/{apprenticeship.pk}/progress/",
        {"date": today, "place": "school", "hours": 99, "content": "x"},
    )
    assert bad.status_code == 400 and "学时" in bad.content.decode()
    ok = client.post(
        f"/apprenticeship/{apprenticeship.pk}/progress/",
        {"date": today, "place": "school", "hours": 4, "content": "识图"},
        follow=True,
    )
    assert "已记录培训进度" in ok.content.decode() and "识图" in ok.content.decode()
    client.force_login(enterprise_user)
    left = client.post(
        f"/apprenticeship/{apprenticeship.pk}/leave/", {"left_on": today, "leave_reason": "离职"}, follow=True
    )
    assert "已办理学徒退出" in left.content.decode() and "已退出" in left.content.decode()


def test_list_pages_keep_their_query_count(
    client, terms, bureau_officer, changan, changan_enterprise, django_assert_max_num_queries
):
    for i in range(12):
        worker = WorkerFactory(town=changan, employer=changan_enterprise, name=f"学徒{i}")
        apprenticeship_enrol(worker=worker, enterprise=changan_enterprise, terms=terms, actor=bureau_officer)
    client.force_login(bureau_officer)
    with django_assert_max_num_queries(12):
        assert client.get("/apprenticeship/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/apprenticeship/classes/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/apprenticeship/statistics/").status_code == 200


def test_a_class_on_the_pages_enrols_a_student_as_an_employee(
    client, school, enterprise_user, changan_enterprise, mentor, lathe, changan
):
    client.force_login(enterprise_user)  # the enterprise opens the class: its students become its employees
    start = timezone.localdate()
    data = {
        "school": school.pk,
        "enterprise": changan_enterprise.uscc,
        "name": "数控一班",
        "occupation": lathe.pk,
        "level": 4,
        "start": start.isoformat(),
        "end": (one_year_after(start) + datetime.timedelta(days=200)).isoformat(),
        "school_mentor": "王老师",
        "enterprise_mentor": mentor.id_number,
    }
    bad = client.post(
        "/apprenticeship/classes/", data | {"end": (start + datetime.timedelta(days=30)).isoformat()}
    )
    assert bad.status_code == 400 and 'id="error-end"' in bad.content.decode()
    page = client.post("/apprenticeship/classes/", data, follow=True)
    assert "已开设校企双制班：数控一班" in page.content.decode()
    student = WorkerFactory(town=changan, name="新生丙")
    url = page.redirect_chain[-1][0]
    done = client.post(
        f"{url}students/",
        {"id_number": student.id_number, "name": "新生丙", "registration_number": "XJ-7"},
        follow=True,
    )
    html = done.content.decode()
    assert "新生丙已入班" in html and "在职" in html
    student.refresh_from_db()
    assert student.employer == changan_enterprise


def test_the_navbar_links_the_home_page(client, enterprise_user):
    client.force_login(enterprise_user)
    assert 'href="/apprenticeship/"' in client.get("/").content.decode()


def _own_ui_strings() -> set[str]:
    import gettext
    import re
    from pathlib import Path

    import skillcity

    # The platform's one catalogue (the apprenticeship's strings are in it).
    mo = Path(skillcity.__file__).parent / "locale/en/LC_MESSAGES/django.mo"
    with mo.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    return {
        k
        for k, v in catalog.items()
        if isinstance(k, str) and v and re.search(r"[\u4e00-\u9fff]", k) and "%(" not in k
    }


def test_every_page_speaks_english_when_asked(
    client, apprenticeship, bureau_officer, school, changan_enterprise, mentor, lathe
):
    import re

    from skillcity.apprenticeship.services.classes import dual_class_create

    start = timezone.localdate()
    dual = dual_class_create(
        school=school,
        enterprise=changan_enterprise,
        name="数控一班",
        occupation=lathe,
        level=4,
        start=start,
        end=one_year_after(start) + datetime.timedelta(days=10),
        school_mentor="王老师",
        enterprise_mentor=mentor,
        actor=bureau_officer,
    )
    ui = _own_ui_strings()
    assert "学徒合同" in ui  # the catalogue is compiled and holds the pages' strings
    client.force_login(bureau_officer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    for url in (
        "/apprenticeship/",
        "/apprenticeship/new/",
        f"/apprenticeship/{apprenticeship.pk}/",
        "/apprenticeship/classes/",
        f"/apprenticeship/classes/{dual.pk}/",
        "/apprenticeship/statistics/",
        "/apprenticeship/import/",
    ):
        html = client.get(url).content.decode()
        text = re.sub(r"<[^>]+>", "\n", html)
        pieces = {p.strip() for line in text.splitlines() for p in re.split(r"\s*[·：:|/，,（）()]\s*", line)}
        left = sorted(p for p in pieces if p in ui)
        assert not left, f"{url}: untranslated {left}"
        assert "In training" in html or url != "/apprenticeship/"


def test_the_school_page_links_its_classes(client, school, school_user, bureau_officer):
    from skillcity.schools.models import Ownership
    from skillcity.schools.services import school_register

    registered = school_register(actor=bureau_officer, organisation=school, ownership=Ownership.PUBLIC)
    client.force_login(school_user)
    html = client.get(f"/schools/{registered.pk}/").content.decode()
    assert 'href="/apprenticeship/classes/" id="dual-classes-link"' in html


def test_a_typed_id_number_says_the_same_whether_unregistered_or_misnamed(
    client, terms, changan_worker, enterprise_user
):
    client.force_login(enterprise_user)
    unknown = client.post(
        "/apprenticeship/new/", form_data(terms, changan_worker, id_number=make_resident_id())
    )
    misnamed = client.post("/apprenticeship/new/", form_data(terms, changan_worker, name="别人"))
    for page in (unknown, misnamed):
        assert page.status_code == 400 and "未找到或不在您的范围内" in page.content.decode()
    mentor = client.post(
        "/apprenticeship/new/", form_data(terms, changan_worker, enterprise_mentor=make_resident_id())
    )
    assert "该身份证号码不是本企业登记职工" in mentor.content.decode()


def test_a_school_user_cannot_open_a_class_on_the_page(client, school, school_user, changan_enterprise):
    client.force_login(school_user)
    assert 'id="class-form"' not in client.get("/apprenticeship/classes/").content.decode()
    assert client.post("/apprenticeship/classes/", {"enterprise": changan_enterprise.uscc}).status_code == 403
