"""The training API for providers and the bureau: projects, classes, rosters, catalog, batches."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from skillcity.accounts.services import token_create
from skillcity.registry.models import OrganisationCategory
from skillcity.training.models import Enrolment, ShortageCatalogEntry, Voucher
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def api(user):
    _token, clear = token_create(user=user, name="t", actor="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {clear}")

    def call(method: str, path: str, body: object = None, **extra):
        if body is None:
            return getattr(client, method)(f"/api/v1/training{path}", **extra)
        return getattr(client, method)(
            f"/api/v1/training{path}", json.dumps(body), content_type="application/json"
        )

    return call


def test_a_provider_runs_a_project_through_the_api(changan):
    provider = OrganisationFactory(town=changan, category=OrganisationCategory.TRAINING_INSTITUTION)
    call = api(UserFactory(username="school", role="organisation_user", organisation=provider))
    occupation = OccupationFactory()
    r = call("post", "/projects", {"name": "车工提升", "occupation_code": occupation.code, "per_person_standard": "2600",
                                    "capacity": 10, "start_date": "2025-03-01", "end_date": "2025-06-30"})  # fmt: skip
    assert r.status_code == 201, r.content
    project_id = r.json()["id"]
    r = call("post", f"/projects/{project_id}/classes", {"name": "一班", "start_date": "2025-03-01", "end_date": "2025-06-30"})  # fmt: skip
    class_id = r.json()["id"]
    worker = WorkerFactory(town=changan)
    r = call("post", f"/classes/{class_id}/enrolments", {"id_number": worker.id_number})
    assert r.status_code == 201
    enrolment_id = r.json()["id"]
    assert call("post", f"/enrolments/{enrolment_id}/sign-in").status_code == 201
    r = call("post", f"/enrolments/{enrolment_id}/complete", {"completed_on": timezone.localdate().isoformat(), "passed": True, "certified_level": 4})  # fmt: skip
    assert r.status_code == 200, r.content.decode()
    assert r.json()["status"] == "completed"
    assert Enrolment.objects.get().certified_level == 4
    bad = call("post", f"/classes/{class_id}/enrolments", {"id_number": "440000"})
    assert bad.status_code == 400 and "id_number" in bad.json()["fields"]
    assert [p["id"] for p in call("get", "/projects").json()] == [project_id]


def test_another_provider_and_a_town_officer_cannot_write_the_roster(changan, changan_officer):
    provider = OrganisationFactory(town=changan, category=OrganisationCategory.TRAINING_INSTITUTION)
    owner = api(UserFactory(username="school", role="organisation_user", organisation=provider))
    project_id = owner("post", "/projects", {"name": "p", "occupation_code": OccupationFactory().code,
                       "per_person_standard": "1000", "capacity": 5, "start_date": "2025-03-01", "end_date": "2025-06-30"}).json()["id"]  # fmt: skip
    other = OrganisationFactory(town=changan, category=OrganisationCategory.TRAINING_INSTITUTION)
    intruder = api(UserFactory(username="other", role="organisation_user", organisation=other))
    body = {"name": "x", "start_date": "2025-03-01", "end_date": "2025-06-30"}
    assert intruder("post", f"/projects/{project_id}/classes", body).status_code == 404


def test_the_bureau_imports_a_catalog_and_issues_a_filtered_batch(bureau_officer, changan, humen):
    occupation = OccupationFactory()
    book = Workbook()
    book.active.append(["职业编码", "类别"])
    book.active.append([occupation.code, "3类"])
    buffer = io.BytesIO()
    book.save(buffer)
    call = api(bureau_officer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "catalog.xlsx"
    r = call("post", "/shortage-catalog/2025", None, data={"file": upload})
    assert r.status_code == 201 and ShortageCatalogEntry.objects.filter(year=2025).count() == 1
    assert call("get", "/shortage-catalog?year=2025").json()[0]["occupation_code"] == occupation.code
    WorkerFactory.create_batch(2, town=changan)
    WorkerFactory(town=humen)
    r = call("post", "/voucher-batches", {"name": "长安批次", "face_value": "500", "valid_from": "2025-01-01",
                                          "valid_to": "2025-12-31", "town_code": changan.code})  # fmt: skip
    assert r.status_code == 201 and r.json()["issued"] == 2
    assert Voucher.objects.count() == 2
