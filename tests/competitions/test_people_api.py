"""Issue 15 item 5: the API answers with the same numbers as the pages."""

from __future__ import annotations

import datetime

import pytest

from skillcity.competitions.models import ContestProject
from skillcity.grants.models import Application
from tests.competitions.people_records import confirmed_project, result_for, title_for
from tests.factories import CompetitionFactory, ContestProjectFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/competitions"


@pytest.fixture
def data(changan, changan_worker, humen_worker, worker_user):
    contest = CompetitionFactory(name="2024年东莞市数控技能大赛", year=2024)
    confirmed = confirmed_project(competition=contest, name="数控车")
    marking = ContestProjectFactory(competition=contest, name="数控铣", state=ContestProject.State.MARKING)
    result_for(confirmed, [changan_worker], rank=1, total="91.50", award="gold")
    result_for(confirmed, [humen_worker], rank=2, total="88.00", award="silver")
    result_for(marking, [changan_worker], rank=1, total="95.00", award="gold")
    CompetitionFactory(year=2024, level="town", town=changan)
    title_for(changan_worker, on=datetime.date(2024, 12, 1), number="DGJSNS2024000001")
    Application.objects.create(
        rule_id="CMP-PRIZE-CITY",
        worker=changan_worker,
        town=changan,
        event_date=datetime.date(2024, 9, 12),
        state="paid",
        decided_amount="3000",
        created_by=worker_user,
    )
    return {"confirmed": confirmed, "marking": marking}


def test_the_calendar_api_lists_what_the_page_lists(client, data):
    body = client.get(f"{API}/public/calendar").json()
    page = client.get("/competitions/calendar/").content.decode()
    assert page.count('data-testid="calendar-competition"') == len(body) == 2
    projects = {p["name"]: p for c in body for p in c["projects"]}
    assert projects["数控车"]["results_published"] and not projects["数控铣"]["results_published"]
    town = client.get(f"{API}/public/calendar", {"level": "town"}).json()
    assert [c["level_name"] for c in town] == ["镇街竞赛"]
    assert client.get(f"{API}/public/calendar", {"level": "nope"}).status_code == 422


def test_published_results_api_matches_the_page_and_refuses_unconfirmed(client, data):
    body = client.get(f"{API}/public/results/{data['confirmed'].pk}").json()
    assert [(r["rank"], r["players"], r["total"], r["award_name"]) for r in body["results"]] == [
        (1, ["陈*安"], "91.50", "金奖"),
        (2, ["黄*门"], "88.00", "银奖"),
    ]
    page = client.get(f"/competitions/results/{data['confirmed'].pk}/").content.decode()
    assert page.count('data-testid="public-result"') == 2
    assert client.get(f"{API}/public/results/{data['marking'].pk}").status_code == 404


def test_my_contests_api_matches_the_page(client, worker_user, data):
    client.force_login(worker_user)
    body = client.get(f"{API}/mine").json()
    page = client.get("/competitions/mine/").content.decode()
    assert len(body["entries"]) == page.count('data-testid="my-entry"') == 2
    published = [e["result"] for e in body["entries"] if e["result"]]
    assert published == [{"rank": 1, "total": "91.50", "award": "gold", "award_name": "金奖", "passed": True}]
    assert page.count('data-testid="my-result"') == 1
    assert [t["number"] for t in body["titles"]] == ["DGJSNS2024000001"]
    assert [(p["rule_id"], p["state_name"], p["amount"]) for p in body["prizes"]] == [
        ("CMP-PRIZE-CITY", "已拨付", "3000.00")
    ]


def test_the_stats_api_is_the_pages_numbers_and_the_bureaus_only(
    client, bureau_officer, changan_officer, worker_user, data
):
    assert client.get(f"{API}/stats").status_code == 401
    client.force_login(changan_officer)
    assert client.get(f"{API}/stats").status_code == 403
    client.force_login(worker_user)
    assert client.get(f"{API}/stats").status_code == 403
    client.force_login(bureau_officer)
    body = client.get(f"{API}/stats").json()
    stats = client.get("/competitions/stats/").context["stats"]
    assert body["target"] == {"id": "T-COMPETITIONS", "source": "D003 §四(三)", "until": 2025}
    for year_body, row in zip(body["years"], stats.rows, strict=True):
        assert year_body["year"] == row.year
        assert year_body["city_projects"] == row.city_projects
        assert year_body["titles"] == row.titles
        assert year_body["towns_without"] == row.towns_without
        assert year_body["contests_total"] == row.contests_total
    y2024 = next(y for y in body["years"] if y["year"] == 2024)
    assert y2024["contests"]["city_class1"] == 1 and y2024["projects"]["city_class1"] == 2
    assert y2024["titles"] == 1 and y2024["town_contests"] == 1
    assert body["baselines"]["dongguan_technical_experts"] == {"baseline": 278, "actual": 1}


def test_the_public_api_needs_no_login_but_mine_does(client, enterprise_user, data):
    assert client.get(f"{API}/public/calendar").status_code == 200
    assert client.get(f"{API}/mine").status_code == 401
    client.force_login(enterprise_user)
    assert client.get(f"{API}/mine").status_code == 403
