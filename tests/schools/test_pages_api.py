"""The school pages and /api/v1/schools/: the school's user keeps its own records, another
organisation gets 404, errors sit next to their fields, the bureau sees every school and the targets."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from skillcity.accounts.services import token_create
from skillcity.registry.models import OrganisationCategory
from skillcity.schools.models import Major, RollCount
from skillcity.schools.services.rolls import COLUMNS
from tests.factories import OrganisationFactory
from tests.schools.conftest import xlsx

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t', actor=user)[1]}"}


def test_the_bureau_sees_every_school_and_the_targets(client, bureau_officer, school, public_school):
    client.force_login(bureau_officer)
    page = client.get("/schools/").content.decode()
    assert school.organisation.name in page and public_school.organisation.name in page
    assert 'id="progress"' in page and "技工院校在校生" in page and "T-TECH-SCHOOLS" in page


def test_the_school_user_lands_on_its_own_school_and_another_gets_404(
    client, school, school_user, public_school, enterprise_user
):
    client.force_login(school_user)
    answer = client.get("/schools/")
    assert answer.status_code == 302 and answer.url == f"/schools/{school.pk}/"
    assert client.get(f"/schools/{public_school.pk}/").status_code == 404
    client.force_login(enterprise_user)
    assert 'id="not-a-school"' in client.get("/schools/").content.decode()
    assert client.get(f"/schools/{school.pk}/").status_code == 404


def test_registering_a_non_school_shows_the_error_next_to_the_field(
    client, bureau_officer, changan_enterprise
):
    client.force_login(bureau_officer)
    answer = client.post("/schools/register/", {"organisation": changan_enterprise.pk, "ownership": "public"})
    assert answer.status_code == 400
    assert 'id="error-organisation"' in answer.content.decode()
    college = OrganisationFactory(category=OrganisationCategory.VOCATIONAL_COLLEGE, name="东莞职业技术学院")
    answer = client.post("/schools/register/", {"organisation": college.pk, "ownership": "public"})
    assert answer.status_code == 302 and college.school.kind == "vocational"


def test_the_school_keeps_majors_and_imports_rolls_on_its_page(client, school, school_user):
    client.force_login(school_user)
    answer = client.post(f"/schools/{school.pk}/majors/", {"name": "", "industry_fit": "none"})
    assert answer.status_code == 400 and 'id="error-name"' in answer.content.decode()
    assert (
        client.post(
            f"/schools/{school.pk}/majors/",
            {"name": "工业机器人", "industry_fit": "strategic_emerging", "enterprise_training": "on"},
        ).status_code
        == 302
    )
    bad = xlsx([list(COLUMNS), ["工业机器人", 1, "中级工班", 10], ["焊接", 7, "快班", -1]])
    answer = client.post(
        f"/schools/{school.pk}/rolls/", {"year": 2024, "file": SimpleUploadedFile("r.xlsx", bad)}
    )
    page = answer.content.decode()
    assert answer.status_code == 400 and 'id="import-errors"' in page and "第3行" in page
    assert not RollCount.objects.exists()
    good = xlsx([list(COLUMNS), ["工业机器人", 1, "中级工班", 10], ["工业机器人", 1, "高级工班", 12]])
    answer = client.post(
        f"/schools/{school.pk}/rolls/", {"year": 2024, "file": SimpleUploadedFile("r.xlsx", good)}
    )
    assert answer.status_code == 302 and RollCount.objects.filter(year=2024).count() == 2
    page = client.get(f"/schools/{school.pk}/?year=2024").content.decode()
    assert "2024年度在校生 22 人" in page
    template = client.get("/schools/rolls-template.xlsx")
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_a_graduate_recorded_on_the_page_shows_on_the_worker_profile(
    client, school, school_user, major, student, bureau_officer
):
    client.force_login(school_user)
    answer = client.post(
        f"/schools/{school.pk}/graduations/",
        {
            "major": major.pk,
            "id_number": student.id_number,
            "name": "别人",
            "class_kind": "advanced",
            "graduated_on": "2024-06-30",
        },
    )
    assert answer.status_code == 400 and 'id="error-name"' in answer.content.decode()
    answer = client.post(
        f"/schools/{school.pk}/graduations/",
        {
            "major": major.pk,
            "id_number": student.id_number,
            "name": student.name,
            "class_kind": "advanced",
            "graduated_on": "2024-06-30",
        },
    )
    assert answer.status_code == 302
    page = client.get(f"/schools/{school.pk}/").content.decode()
    assert "大专" in page
    client.force_login(bureau_officer)
    profile = client.get(f"/registry/workers/{student.pk}/").content.decode()
    assert (
        'id="graduation-records"' in profile
        and school.organisation.name in profile
        and "相当于大专学历" in profile
    )
    assert "本人毕业班级" in profile


def test_the_bureau_selects_a_demonstration_major_the_school_cannot(
    client, school, major, school_user, bureau_officer
):
    client.force_login(school_user)
    assert (
        client.post(f"/schools/{school.pk}/majors/{major.pk}/demonstration/", {"on": "1"}).status_code == 403
    )
    client.force_login(bureau_officer)
    assert (
        client.post(f"/schools/{school.pk}/majors/{major.pk}/demonstration/", {"on": "1"}).status_code == 302
    )
    assert Major.objects.get(pk=major.pk).demonstration


def test_the_api_keeps_majors_rolls_graduations_and_applications(
    client, school, school_user, student, public_school
):
    h = auth(school_user)
    assert [s["id"] for s in client.get("/api/v1/schools/", **h).json()] == [school.pk]
    assert client.get(f"/api/v1/schools/{public_school.pk}", **h).status_code == 404
    major = client.post(
        f"/api/v1/schools/{school.pk}/majors",
        {"name": "模具制造", "industry_fit": "five_pillars_four_specialties", "enterprise_training": True},
        content_type="application/json",
        **h,
    )
    assert major.status_code == 201
    major_id = major.json()["id"]
    content = xlsx([list(COLUMNS), ["模具制造", 2, "高级工班", 33]])
    answer = client.post(
        f"/api/v1/schools/{school.pk}/rolls",
        {"year": 2024, "file": SimpleUploadedFile("r.xlsx", content)},
        **h,
    )
    assert answer.status_code == 200 and answer.json() == {"imported": 1, "errors": []}
    assert client.get(f"/api/v1/schools/{school.pk}/rolls?year=2024", **h).json()[0]["students"] == 33
    grad = client.post(
        f"/api/v1/schools/{school.pk}/graduations",
        {
            "major_id": major_id,
            "id_number": student.id_number,
            "name": student.name,
            "class_kind": "preparatory_technician",
            "graduated_on": "2024-07-01",
        },
        content_type="application/json",
        **h,
    )
    assert grad.status_code == 201 and grad.json()["equivalent"] == "本科"
    app = client.post(
        f"/api/v1/schools/{school.pk}/applications",
        {"rule_id": "EDU-MAJOR-BUILD", "major_id": major_id, "year": 2024, "requested": "400000"},
        content_type="application/json",
        **h,
    )
    assert app.status_code == 201, app.content
    assert (
        app.json()["facts"]["industry_fit"] == "five_pillars_four_specialties"
        and app.json()["amount"] == "300000.00"
    )
    assert [a["id"] for a in client.get(f"/api/v1/schools/{school.pk}/applications", **h).json()] == [
        app.json()["id"]
    ]
    missing = client.post(
        f"/api/v1/schools/{school.pk}/applications",
        {"rule_id": "EDU-DEMO-MAJOR"},
        content_type="application/json",
        **h,
    )
    assert missing.status_code == 400
    assert client.get("/api/v1/schools/progress?year=2024", **h).status_code == 403


def test_the_api_refuses_numbers_out_of_bounds(client, public_school, public_school_user, bureau_officer):
    h = auth(public_school_user)
    answer = client.post(
        f"/api/v1/schools/{public_school.pk}/reports",
        {"year": 99999, "income": "1e20", "costs": "-1", "person_times": 10**9},
        content_type="application/json",
        **h,
    )
    assert answer.status_code in (400, 422)
    ok = client.post(
        f"/api/v1/schools/{public_school.pk}/reports",
        {"year": 2024, "income": "300000", "costs": "100000", "person_times": 1200},
        content_type="application/json",
        **h,
    )
    assert ok.status_code == 200
    progress = client.get("/api/v1/schools/progress?year=2024", **auth(bureau_officer)).json()
    assert progress["schools"] == 1 and len(progress["measures"]) == 5


def test_the_page_applies_from_records_and_shows_the_grants(
    client, public_school, public_school_user, bureau_officer
):
    from skillcity.schools.services import major_create

    major = major_create(
        actor=public_school_user, school=public_school, name="模具制造", industry_fit="strategic_emerging"
    )
    client.force_login(public_school_user)
    url = f"/schools/{public_school.pk}/"
    answer = client.post(f"{url}apply-major-build/", {"major": major.pk, "year": 2024, "requested": ""})
    assert answer.status_code == 400 and 'id="error-requested"' in answer.content.decode()
    answer = client.post(f"{url}apply-major-build/", {"major": major.pk, "year": 2024, "requested": "200000"})
    assert answer.status_code == 302
    assert (
        client.post(
            f"{url}reports/", {"year": 2024, "income": "500000", "costs": "100000", "person_times": 900}
        ).status_code
        == 302
    )
    report = public_school.social_reports.get(year=2024)
    assert client.post(f"{url}reports/{report.pk}/apply/").status_code == 302
    page = client.get(f"{url}?year=2024").content.decode()
    assert (
        page.count('href="/grants/') >= 2 and "专业建设经费" in page and "社会化培训收入提取绩效工资" in page
    )
    # the intl-class application with no students is refused by the engine, next to no field: at the top
    answer = client.post(f"{url}apply-intl-class/", {"year": 2024, "actual_cost": ""})
    assert answer.status_code == 400 and "国际课程班在校生人数为0" in answer.content.decode()
