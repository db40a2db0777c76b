"""The awards pages and API: the organiser's and the bureau's claimable list with one button, a unit's
awards and claims, the bureau's import, camps; who may see what; no internal codes on screen."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook

from skillcity.competitions.models import TrainingCamp
from skillcity.competitions.services import imports
from skillcity.grants.models import Application, Fund
from tests.competitions.awards_setup import project_of, result_of, worker
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def city():
    project = project_of("city_class1")
    result_of(project, "gold", players=[worker(name="金牌选手")])
    result_of(project, "silver", rank=2)
    return project


def test_the_bureau_sees_every_claim_with_its_amount_and_generates_them_with_one_button(city, bureau_officer):
    c = client_for(bureau_officer)
    url = f"/competitions/awards/{city.competition.pk}/"
    page = c.get(url).content.decode()
    assert "市级一类竞赛奖金" in page and "金牌选手" in page and "10,000.00" in page
    assert "承办竞赛补助" in page and "生成补贴申请（3）" in page
    assert not re.search(r">[^<]*CMP-", page)  # no rule code as text on the page
    response = c.post(url, follow=True)
    assert "已生成 3 份补贴申请并提交审核" in response.content.decode()
    assert Application.objects.filter(state="in_review").count() == 3
    page = c.get(url).content.decode()
    assert "审核中" in page and "/grants/" in page
    c.post(url)
    assert Application.objects.count() == 3


def test_a_row_is_generated_alone(city, bureau_officer):
    from skillcity.competitions.services.awards import claims_for

    claim = next(x for x in claims_for(city.competition) if x.rule_id == "CMP-HOST")
    client_for(bureau_officer).post(
        f"/competitions/awards/{city.competition.pk}/", {"source_key": claim.source_key}
    )
    assert list(Application.objects.values_list("rule_id", flat=True)) == ["CMP-HOST"]


def test_a_missing_fund_shows_the_create_fund_link_not_an_error(city, bureau_officer):
    assert not Fund.objects.exists()
    page = client_for(bureau_officer).get(f"/competitions/awards/{city.competition.pk}/").content.decode()
    assert 'id="missing-funds"' in page and "/grants/funds/new/?programme=CMP-HOST&amp;year=2024" in page


def test_the_organiser_generates_another_unit_sees_nothing(city, worker_user):
    organiser = UserFactory(role="organisation_user", organisation=city.competition.organiser)
    other = UserFactory(role="organisation_user", organisation=OrganisationFactory())
    assert client_for(other).get(f"/competitions/awards/{city.competition.pk}/").status_code == 404
    assert client_for(other).post(f"/competitions/awards/{city.competition.pk}/").status_code == 404
    client_for(organiser).post(f"/competitions/awards/{city.competition.pk}/")
    assert Application.objects.count() == 3
    assert client_for(worker_user).get("/competitions/awards/").status_code == 403


def test_a_unit_sees_its_awards_and_the_applications_made_for_it(city, bureau_officer):
    gold = city.results.get(award="gold")
    unit_user = UserFactory(role="organisation_user", organisation=gold.entry.unit)
    client_for(bureau_officer).post(f"/competitions/awards/{city.competition.pk}/")
    page = client_for(unit_user).get("/competitions/awards/").content.decode()
    assert "金牌选手" in page and "金奖" in page and "市级一类竞赛奖金" in page and "审核中" in page
    data = client_for(unit_user).get("/api/v1/competitions/awards/mine").json()
    assert data["results"][0]["award_label"] == "金奖"
    assert [a["rule_id"] for a in data["applications"]] == ["CMP-PRIZE-CITY"]


def test_the_api_lists_claims_and_generates_once(city, bureau_officer):
    c = client_for(bureau_officer)
    base = f"/api/v1/competitions/awards/competitions/{city.competition.pk}"
    claims = c.get(f"{base}/claims").json()
    assert {x["rule_id"] for x in claims} == {"CMP-PRIZE-CITY", "CMP-HOST"}
    gold = next(x for x in claims if x["payee"] == "金牌选手")
    assert gold["amount"] == "10000.00" and gold["fact_sources"]["award"]
    assert gold["facts"] == [{"label": "竞赛级别", "value": "市级一类"}, {"label": "奖项", "value": "金奖"}]
    made = c.post(f"{base}/generate", {}, content_type="application/json").json()["made"]
    assert len(made) == 3
    assert c.post(f"{base}/generate", {}, content_type="application/json").json()["made"] == []
    again = c.post(f"{base}/generate", {"source_key": gold["source_key"]}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "source_already_claimed"
    detail = c.get(f"/api/v1/grants/applications/{made[0]['id']}").json()
    assert detail["source"].startswith("2024年") and city.name in detail["source"]
    page = c.get(f"/grants/{made[0]['id']}/").content.decode()
    assert "来源：2024年" in page


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(list(imports.COLUMNS.values()))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "results.xlsx"
    return buffer


def test_the_import_page_lists_every_bad_row_and_the_api_too(bureau_officer):
    OccupationFactory()
    unit, player = OrganisationFactory(), worker()
    good = ["2024年全国技能大赛", "国家级一类", 2024, "人力资源和社会保障部", "焊工", "6-18-01-01", 2,
            "2024-11-02", player.id_number, unit.uscc, "银奖", 2, "0", ""]  # fmt: skip
    bad = [*good[:8], "441900199001010000", *good[9:]]
    c = client_for(bureau_officer)
    page = c.post("/competitions/awards/import/", {"file": _xlsx([good, bad])}).content.decode()
    assert 'id="import-errors"' in page and "身份证号码" in page and "<td>3</td>" in page
    response = c.post("/api/v1/competitions/awards/imports", {"file": _xlsx([good, bad])})
    assert response.status_code == 400 and response.json()["rows"][0]["row"] == 3
    ok = c.post("/api/v1/competitions/awards/imports", {"file": _xlsx([good])})
    assert ok.json() == {"created": 1, "unchanged": 0}
    assert c.get("/competitions/awards/import/template.xlsx").status_code == 200
    unit_user = UserFactory(role="organisation_user", organisation=unit)
    assert client_for(unit_user).get("/competitions/awards/import/").status_code == 403


def test_a_unit_records_a_camp_on_the_page_with_errors_next_to_fields(enterprise_user):
    project = project_of("provincial_class1")
    trainee = worker()
    c = client_for(enterprise_user)
    form = {"project": project.pk, "starts_on": "2024-05-01", "ends_on": "2024-06-30",
            "trainees": f"{trainee.id_number} 5"}  # fmt: skip
    page = c.post("/competitions/awards/camps/new/", form).content.decode()
    assert "集训月数" in page and not TrainingCamp.objects.exists()
    response = c.post("/competitions/awards/camps/new/", {**form, "trainees": f"{trainee.id_number} 2"})
    assert response.status_code == 302
    camp = TrainingCamp.objects.get()
    assert camp.unit == enterprise_user.organisation and camp.trainees.get().months == 2

    def by_api(project_id: int) -> Any:
        return c.post(
            "/api/v1/competitions/awards/camps",
            {
                "project_id": project_id,
                "starts_on": "2024-07-01",
                "ends_on": "2024-07-31",
                "trainees": [{"id_number": trainee.id_number, "months": 1}],
            },
            content_type="application/json",
        )

    # A project's camp is recorded once per unit (CMP-CAMP is per project); another project's is its own.
    assert by_api(project.pk).status_code == 400
    assert by_api(project_of("provincial_class2").pk).status_code == 201 and TrainingCamp.objects.count() == 2
