"""Every number a provider or the bureau types into training has bounds that fit its column and its
meaning; what is refused is never stored, so the lists and pages keep answering (issue 12 §2)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from skillcity.accounts.models import Role
from skillcity.accounts.services import token_create
from skillcity.training.models import Enrolment, TrainingProject
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROJECT = {"name": "车工提升", "occupation_code": "6-18-01-01", "per_person_standard": "2600",
           "capacity": 10, "start_date": "2025-03-01", "end_date": "2025-06-30"}  # fmt: skip


def _api(user):
    clear = token_create(user=user, name="t", actor="t")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {clear}")

    def call(method: str, path: str, body: object = None):
        if body is None:
            return getattr(client, method)(f"/api/v1/training{path}")
        return getattr(client, method)(
            f"/api/v1/training{path}", json.dumps(body), content_type="application/json"
        )

    return call


def _refused(response, field: str) -> None:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"], body
    assert field in body["message"]


def test_it_refuses_an_assessment_score_of_1e20_and_every_list_still_answers(
    institution_user, enrolment, changan_officer, bureau_officer
):
    call = _api(institution_user)
    path = f"/enrolments/{enrolment.pk}/complete"
    for score in ("1e20", "100.1", "-1", "55.55", "NaN", 1e20):
        _refused(call("post", path, {"completed_on": "2025-05-31", "passed": True, "assessment_score": score}),
                 "assessment_score")  # fmt: skip
    assert Enrolment.objects.get(pk=enrolment.pk).assessment_score is None
    assert call("post", path, {"completed_on": "2025-05-31", "passed": True, "assessment_score": "100"}).status_code == 200  # fmt: skip
    for user in (institution_user, changan_officer, bureau_officer):
        assert _api(user)("get", "/enrolments").status_code == 200
    page = Client()
    page.force_login(institution_user)
    assert page.get(f"/training/projects/{enrolment.training_class.project_id}/").status_code == 200


def test_it_refuses_a_score_above_100_on_the_completion_form_naming_the_field(institution_user, enrolment):
    page = Client()
    page.force_login(institution_user)
    response = page.post(
        f"/training/enrolments/{enrolment.pk}/complete/",
        {"completed_on": "2025-05-31", "passed": "true", "assessment_score": "1e20"},
        follow=True,
    )
    assert "考核成绩" in response.content.decode()
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ENROLLED


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("per_person_standard", "1e25"),
        ("per_person_standard", "100000000"),  # the column (max_digits=10) holds 99,999,999.99
        ("per_person_standard", "0.005"),
        ("per_person_standard", "-1"),
        ("capacity", 10**20),
        ("capacity", 0),
        ("level", 9),
        ("start_date", "20250301"),
        ("start_date", "2025-W09-6"),
        ("end_date", 1751241600),
        ("end_date", "9999-12-31"),
    ],
)
def test_it_refuses_a_project_number_or_date_out_of_bounds(institution_user, lathe, field, value):
    _refused(_api(institution_user)("post", "/projects", {**PROJECT, field: value}), field)
    assert not TrainingProject.objects.exists()


def test_the_largest_amount_the_column_holds_is_accepted(institution_user, lathe):
    response = _api(institution_user)("post", "/projects", {**PROJECT, "per_person_standard": "99999999.99"})
    assert response.status_code == 201, response.content
    assert _api(institution_user)("get", "/projects").status_code == 200


def test_the_project_form_refuses_an_out_of_range_capacity_naming_its_label(institution_user, lathe):
    page = Client()
    page.force_login(institution_user)
    form = {**PROJECT, "occupation": "6-18-01-01", "capacity": str(10**20), "per_person_standard": "1e25"}
    text = page.post("/training/projects/new/", form).content.decode()
    assert "计划人数" in text and "不能大于" in text
    assert not TrainingProject.objects.exists()
    text = page.post("/training/projects/new/", {**form, "capacity": "10", "per_person_standard": "1e25"}).content.decode()  # fmt: skip
    assert "每人补贴标准" in text
    assert not TrainingProject.objects.exists()


def test_it_refuses_a_voucher_face_value_beyond_its_column_and_a_catalog_year_out_of_range(changan):
    bureau = UserFactory(username="bureau_x", role=Role.BUREAU_OFFICER)
    call = _api(bureau)
    batch = {"name": "b", "face_value": "1e25", "valid_from": "2025-01-01", "valid_to": "2025-12-31"}
    _refused(call("post", "/voucher-batches", batch), "face_value")
    _refused(call("get", "/shortage-catalog?year=99999"), "year")
    page = Client()
    page.force_login(bureau)
    response = page.get("/training/shortage-catalog/?year=99999999999999999999")
    assert response.status_code == 200 and "年度" in response.content.decode()
