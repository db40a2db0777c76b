"""Apprenticeship through the pages, the API and the CLI: who sees which apprentices (by persona),
enrolment with errors next to the fields, the class rosters, the import (all rows or none, every bad
row listed), the bureau's statistics, and the list pages' query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from skillcity.accounts.services import token_create
from skillcity.apprenticeship.models import Apprenticeship
from skillcity.apprenticeship.services import apprenticeship_enrol, one_year_after
from skillcity.apprenticeship.services.imports import COLUMNS
from tests.apprenticeship.conftest import change
from tests.factories import UserFactory, WorkerFactory
from tests.schools.conftest import xlsx

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


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
    client, school, school_user, changan_enterprise, mentor, lathe, changan
):
    client.force_login(school_user)
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


def test_the_api_enrols_reads_and_scopes(
    client,
    terms,
    changan_worker,
    enterprise_user,
    other_enterprise_user,
    bureau_officer,
    humen_officer,
    worker_user,
):
    payload = {
        "id_number": changan_worker.id_number,
        "name": changan_worker.name,
        "school_uscc": terms.school.uscc,
        "occupation_code": terms.occupation.code,
        "level": 4,
        "contract_start": terms.contract_start.isoformat(),
        "contract_end": (terms.contract_start + datetime.timedelta(days=200)).isoformat(),
        "registration_number": "XJ-1",
        "registration_start": terms.registration_start.isoformat(),
        "registration_end": terms.registration_end.isoformat(),
        "enterprise_mentor_id_number": terms.enterprise_mentor.id_number,
        "school_mentor": "王老师",
    }
    h = auth(enterprise_user)
    bad = client.post("/api/v1/apprenticeship/apprenticeships", payload, content_type="application/json", **h)
    assert bad.status_code == 400 and "学徒合同" in bad.json()["fields"]["contract_end"][0]
    payload["contract_end"] = terms.contract_end.isoformat()
    made = client.post(
        "/api/v1/apprenticeship/apprenticeships", payload, content_type="application/json", **h
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (
        body["status"] == "training"
        and body["status_name"] == "培训中"
        and body["enterprise_mentor_level"] == 2
    )
    assert changan_worker.id_number not in made.content.decode()
    pk = body["id"]
    assert (
        client.get(f"/api/v1/apprenticeship/apprenticeships/{pk}", **auth(other_enterprise_user)).status_code
        == 404
    )
    assert (
        client.get(f"/api/v1/apprenticeship/apprenticeships/{pk}", **auth(humen_officer)).status_code == 404
    )
    assert client.get("/api/v1/apprenticeship/apprenticeships", **auth(worker_user)).status_code == 403
    assert [
        a["id"] for a in client.get("/api/v1/apprenticeship/apprenticeships", **auth(bureau_officer)).json()
    ] == [pk]
    progress = client.post(
        f"/api/v1/apprenticeship/apprenticeships/{pk}/progress",
        {"date": timezone.localdate().isoformat(), "place": "enterprise", "hours": 8, "content": "岗位实操"},
        content_type="application/json",
        **h,
    )
    assert progress.status_code == 201
    stats = client.get("/api/v1/apprenticeship/statistics", **auth(bureau_officer)).json()
    assert stats["total"] == 1 and stats["baseline"] == 19936
    assert client.get("/api/v1/apprenticeship/statistics", **h).status_code == 403
    assert client.get("/api/v1/apprenticeship/apprenticeships").status_code == 401


def test_the_api_opens_a_class_and_shows_the_drift(
    client, school, school_user, changan_enterprise, mentor, lathe, changan, bureau_officer
):
    from skillcity.registry.services import worker_update

    h = auth(school_user)
    start = timezone.localdate()
    made = client.post(
        "/api/v1/apprenticeship/classes",
        {
            "school_uscc": school.uscc,
            "enterprise_uscc": changan_enterprise.uscc,
            "name": "模具一班",
            "occupation_code": lathe.code,
            "level": 4,
            "start": start.isoformat(),
            "end": (one_year_after(start) + datetime.timedelta(days=100)).isoformat(),
            "school_mentor": "王老师",
            "enterprise_mentor_id_number": mentor.id_number,
        },
        content_type="application/json",
        **h,
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    student = WorkerFactory(town=changan)
    added = client.post(
        f"/api/v1/apprenticeship/classes/{pk}/students",
        {"id_number": student.id_number, "name": student.name, "registration_number": "XJ-5"},
        content_type="application/json",
        **h,
    )
    assert added.status_code == 201
    worker_update(worker=student, data={"employer": ""}, actor=bureau_officer)
    detail = client.get(f"/api/v1/apprenticeship/classes/{pk}", **h).json()
    assert detail["drift"] == 1 and detail["roster"][0]["employed_by_enterprise"] is False


def sheet_row(worker, enterprise, terms, **extra):
    cells = {
        "身份证号码": worker.id_number,
        "姓名": worker.name,
        "企业统一社会信用代码": enterprise.uscc,
        "院校统一社会信用代码": terms.school.uscc,
        "职业编码": terms.occupation.code,
        "目标等级": "4",
        "学徒合同开始日期": terms.contract_start.isoformat(),
        "学徒合同结束日期": terms.contract_end.isoformat(),
        "学籍号": "XJ-100",
        "学习形式": "非全日制",
        "学籍注册开始日期": terms.registration_start.isoformat(),
        "学籍注册结束日期": terms.registration_end.isoformat(),
        "企业导师身份证号码": terms.enterprise_mentor.id_number,
        "学校导师": "王老师",
    } | extra
    return [cells[c] for c in COLUMNS]


def test_the_import_is_all_or_nothing_with_every_bad_row_listed(
    client, terms, changan, changan_enterprise, enterprise_user, humen_enterprise
):
    good = [WorkerFactory(town=changan, employer=changan_enterprise) for _ in range(2)]
    rows = [
        sheet_row(good[0], changan_enterprise, terms),
        sheet_row(good[1], changan_enterprise, terms, 学习形式="全日制"),
        sheet_row(good[1], humen_enterprise, terms, 学籍注册结束日期=terms.registration_start.isoformat()),
    ]
    client.force_login(enterprise_user)
    upload = SimpleUploadedFile("学徒.xlsx", xlsx([list(COLUMNS), *rows]))
    bad = client.post("/apprenticeship/import/", {"file": upload})
    html = bad.content.decode()
    assert bad.status_code == 400 and 'id="import-errors"' in html
    assert "学习形式" in html and "企业统一社会信用代码" in html and "您无权为该企业登记学徒" in html
    assert not Apprenticeship.objects.exists()
    api = client.post(
        "/api/v1/apprenticeship/import",
        {"file": SimpleUploadedFile("学徒.xlsx", xlsx([list(COLUMNS), *rows]))},
        **auth(enterprise_user),
    )
    assert api.status_code == 400 and {(e["row"], e["column"]) for e in api.json()["errors"]} >= {
        (3, "学习形式"),
        (4, "企业统一社会信用代码"),
    }
    fixed = [sheet_row(good[0], changan_enterprise, terms), sheet_row(good[1], changan_enterprise, terms)]
    ok = client.post(
        "/apprenticeship/import/",
        {"file": SimpleUploadedFile("学徒.xlsx", xlsx([list(COLUMNS), *fixed]))},
        follow=True,
    )
    assert "导入成功：登记学徒 2 名" in ok.content.decode()
    assert Apprenticeship.objects.count() == 2
    assert client.get("/apprenticeship/template.xlsx").status_code == 200


def test_the_cli_imports_all_or_nothing(tmp_path, terms, changan, changan_enterprise, capsys):
    worker = WorkerFactory(town=changan, employer=changan_enterprise)
    path = tmp_path / "a.xlsx"
    path.write_bytes(xlsx([list(COLUMNS), sheet_row(worker, changan_enterprise, terms, 目标等级="9")]))
    with pytest.raises(SystemExit) as exit_:
        call_command("apprenticeship", "import", str(path))
    assert exit_.value.code == 2 and "目标等级" in capsys.readouterr().err
    path.write_bytes(xlsx([list(COLUMNS), sheet_row(worker, changan_enterprise, terms)]))
    call_command("apprenticeship", "import", str(path))
    assert "imported 1 apprentice(s)" in capsys.readouterr().out
    assert Apprenticeship.objects.count() == 1


def test_the_navbar_links_the_home_page(client, enterprise_user):
    client.force_login(enterprise_user)
    assert 'href="/apprenticeship/"' in client.get("/").content.decode()
    assert UserFactory  # personas come from tests.conftest


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
    client, apprenticeship, bureau_officer, school, changan_enterprise, mentor, lathe, school_user
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
        actor=school_user,
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
