"""/api/v1/competitions/: competitions, projects, entries, scheme, judges, marks and results."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from skillcity.accounts.models import Role
from skillcity.accounts.services import token_create
from skillcity.competitions.models import Competition, ContestProject
from skillcity.competitions.services import marking
from tests.competitions.marking_setup import make_marked, mark_entry
from tests.factories import OccupationFactory, OrganisationFactory, UserFactory, WorkerFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/competitions"


def _bearer(user) -> dict[str, str]:
    clear = token_create(user=user, name="t", actor=user)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {clear}"}


def _post(client, user, path, body, method="post"):
    return getattr(client, method)(f"{API}{path}", body, content_type="application/json", **_bearer(user))


def test_an_organiser_creates_a_competition_and_a_project_through_the_api(
    client, enterprise_user, changan_enterprise
):
    OccupationFactory(code="6-18-01-01")
    response = _post(
        client,
        enterprise_user,
        "/competitions",
        {
            "name": "2025年长安镇数控技能竞赛",
            "level": "city_class2",
            "year": 2025,
            "starts_on": "2025-05-01",
            "ends_on": "2025-05-03",
            "organiser_id": changan_enterprise.pk,
            "gold_places": 1,
            "pass_mark": "60",
            "promotion_rule": {"bands": [{"from": 1, "to": 3, "level": 3}], "pass_level": 4},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level_name"] == "市级二类" and body["promotion_rule"]["bands"][0]["from"] == 1
    pk = body["id"]
    assert _post(client, enterprise_user, f"/competitions/{pk}/publish", {}).json()["state"] == "published"
    response = _post(
        client,
        enterprise_user,
        f"/competitions/{pk}/projects",
        {
            "name": "数控车",
            "occupation": "6-18-01-01",
            "level": 3,
            "starts_on": "2025-05-01",
            "ends_on": "2025-05-02",
        },
    )
    assert response.status_code == 201 and response.json()["state"] == "setup"
    listed = client.get(f"{API}/competitions", **_bearer(enterprise_user)).json()
    assert [c["id"] for c in listed] == [pk]


def test_a_town_contest_without_a_town_names_the_field(client, bureau_officer):
    response = _post(
        client,
        bureau_officer,
        "/competitions",
        {
            "name": "镇街竞赛",
            "level": "town",
            "year": 2025,
            "starts_on": "2025-05-01",
            "ends_on": "2025-05-03",
            "organiser_name": "长安镇人社分局",
        },
    )
    assert response.status_code == 400
    assert response.json()["code"] == "town_required" and "town" in response.json()["fields"]


def test_another_organiser_does_not_see_the_competition(client, bureau_officer, enterprise_user):
    m = make_marked(bureau_officer)
    response = client.get(f"{API}/competitions/{m.competition.pk}/projects", **_bearer(enterprise_user))
    assert response.status_code == 404
    response = _post(client, enterprise_user, f"/competitions/{m.competition.pk}/publish", {})
    assert response.status_code == 404


def test_scheme_json_round_trip_and_the_judge_conflict(client, bureau_officer):
    m = make_marked(bureau_officer)
    body = client.get(f"{API}/projects/{m.project.pk}/scheme", **_bearer(m.organiser_user)).json()
    assert [a["code"] for a in body["sections"][0]["aspects"]] == ["A1", "A2"]
    colleague = WorkerFactory(employer=m.units[1])
    response = _post(
        client, m.organiser_user, f"/projects/{m.project.pk}/judges", {"id_number": colleague.id_number}
    )
    assert response.status_code == 400
    assert (
        response.json()["code"] == "judge_conflict"
        and m.units[1].name in response.json()["fields"]["worker"][0]
    )
    judges = client.get(f"{API}/projects/{m.project.pk}/judges", **_bearer(m.organiser_user)).json()
    assert [j["is_chief"] for j in judges] == [True, False, False]


def test_a_unit_registers_its_own_worker_and_sees_only_a_masked_id(client, bureau_officer):
    m = make_marked(bureau_officer, entries=0)
    Competition.objects.filter(pk=m.competition.pk).update(state="published")
    unit = OrganisationFactory()
    unit_user = UserFactory(role=Role.ORGANISATION_USER, organisation=unit)
    player = WorkerFactory(employer=unit)
    opened = client.get(f"{API}/projects/open", **_bearer(unit_user)).json()
    assert [p["id"] for p in opened] == [m.project.pk]
    response = _post(
        client,
        unit_user,
        f"/projects/{m.project.pk}/entries",
        {"unit_id": unit.pk, "worker_ids": [player.pk]},
    )
    assert response.status_code == 201, response.content
    assert player.id_number not in response.content.decode()
    assert response.json()["players"][0]["id_number_masked"].startswith(player.id_number[:3])
    stranger = WorkerFactory(employer=OrganisationFactory())
    response = _post(
        client,
        unit_user,
        f"/projects/{m.project.pk}/entries",
        {"unit_id": unit.pk, "worker_ids": [stranger.pk]},
    )
    assert response.status_code == 404  # not the unit's worker: not even visible


def test_a_judge_saves_submits_and_corrects_marks_and_the_chief_confirms(client, bureau_officer):
    m = make_marked(bureau_officer)
    judge, user = m.judges[1], m.judge_users[1]
    mine = client.get(f"{API}/judging", **_bearer(user)).json()
    assert [j["project_id"] for j in mine] == [m.project.pk]
    path = f"/judging/{judge.pk}/entries/{m.entries[0].pk}/marks"
    response = _post(client, user, path, {"scores": {str(m.judgement.pk): "4"}})
    assert response.status_code == 400 and f"score_{m.judgement.pk}" in response.json()["fields"]
    assert "A2" in response.json()["message"]
    response = _post(client, user, path, {"scores": {str(m.judgement.pk): "1"}, "submit": True})
    assert response.status_code == 200
    row = next(r for r in response.json()["marks"] if r["aspect_id"] == m.judgement.pk)
    assert row["locked"] is True and row["state"] == "submitted"
    response = _post(client, m.judge_users[2], path, {"scores": {str(m.judgement.pk): "1"}})
    assert response.status_code == 404  # another judge's sheet
    response = _post(client, user, f"/marks/{row['mark_id']}/correct", {"score": "3", "reason": "复核"})
    assert response.status_code == 201 and response.json()["corrects_id"] == row["mark_id"]
    # Complete the marks; flags; the chief confirms.
    # Judge 1's standing judgement is now 3; the chief scores 0 and judge 2 scores 2: a spread of 3.
    first = {m.measurement.pk: "18", m.judgement.pk: 0}
    marking.marks_save(
        judge=m.judges[0], entry=m.entries[0], actor=m.judge_users[0], scores=first, submit=True
    )
    third = {m.judgement.pk: 2}
    marking.marks_save(
        judge=m.judges[2], entry=m.entries[0], actor=m.judge_users[2], scores=third, submit=True
    )
    mark_entry(m, m.entries[1], "12", (2, 2, 2))
    flags = client.get(f"{API}/projects/{m.project.pk}/spread-flags", **_bearer(m.judge_users[0])).json()
    assert [(f["entry_id"], f["aspect_id"], f["spread"]) for f in flags] == [
        (m.entries[0].pk, m.judgement.pk, "3.00")
    ]
    response = _post(client, m.organiser_user, f"/projects/{m.project.pk}/results/compute", {})
    assert response.status_code == 200 and response.json()["confirmed"] is False
    assert _post(client, user, f"/projects/{m.project.pk}/results/confirm", {}).status_code == 403
    response = _post(client, m.judge_users[0], f"/projects/{m.project.pk}/results/confirm", {})
    assert response.status_code == 200
    body = response.json()
    assert body["confirmed"] is True and [r["rank"] for r in body["results"]] == [1, 2]
    assert ContestProject.objects.get(pk=m.project.pk).state == "confirmed"


def test_the_scheme_imports_from_the_published_xlsx_layout(client, bureau_officer):
    m = make_marked(bureau_officer, entries=0)
    template = client.get(f"{API}/scheme-template.xlsx", **_bearer(m.organiser_user))
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == [
        "模块代码",
        "模块名称",
        "评分项代码",
        "评分项描述",
        "评分方式（测量/评价）",
        "分值",
    ]
    response = client.post(
        f"{API}/projects/{m.project.pk}/scheme/import",
        {"file": _upload("scheme.xlsx", template.content)},
        **_bearer(m.organiser_user),
    )
    assert response.status_code == 200 and response.json()["created"] == 2


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
