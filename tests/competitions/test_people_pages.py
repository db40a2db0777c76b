"""Issue 15 item 5: the players' page, the public calendar and results, and who may see the statistics."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from skillcity.competitions.models import Competition, ContestProject
from skillcity.grants.models import Application
from tests.competitions.people_records import confirmed_project, result_for, title_for
from tests.factories import CompetitionFactory, ContestProjectFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(changan):
    return CompetitionFactory(name="2024年东莞市数控技能大赛", year=2024, level="city_class1")


@pytest.fixture
def confirmed(contest):
    return confirmed_project(competition=contest, name="数控车")


@pytest.fixture
def unconfirmed(contest):
    return ContestProjectFactory(competition=contest, name="数控铣", state=ContestProject.State.MARKING)


# --- the public -----------------------------------------------------------------------------------


def test_an_anonymous_visitor_sees_published_competitions_but_not_drafts(client, confirmed, unconfirmed):
    CompetitionFactory(name="筹备中的竞赛", state=Competition.State.DRAFT)
    page = client.get("/competitions/calendar/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2024年东莞市数控技能大赛" in text
    assert "筹备中的竞赛" not in text
    # Results are linked only for the project whose chief judge confirmed them.
    assert f"/competitions/results/{confirmed.pk}/" in text
    assert f"/competitions/results/{unconfirmed.pk}/" not in text


def test_the_calendar_filters_by_year_and_level(client, confirmed, changan):
    CompetitionFactory(name="2023年镇街竞赛", year=2023, level="town", town=changan)
    only_2023 = client.get("/competitions/calendar/", {"year": 2023}).content.decode()
    assert "2023年镇街竞赛" in only_2023 and "2024年东莞市数控技能大赛" not in only_2023
    town = client.get("/competitions/calendar/", {"year": "", "level": "town"}).content.decode()
    assert "2023年镇街竞赛" in town and "2024年东莞市数控技能大赛" not in town
    # With no year chosen the calendar opens on the latest year.
    latest = client.get("/competitions/calendar/").content.decode()
    assert "2024年东莞市数控技能大赛" in latest and "2023年镇街竞赛" not in latest


def test_published_results_mask_names_and_show_no_id_number(client, confirmed, changan_worker):
    result_for(confirmed, [changan_worker], rank=1, total="91.50", award="gold")
    page = client.get(f"/competitions/results/{confirmed.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "陈*安" in text and "陈长安" not in text
    assert changan_worker.id_number not in text
    assert "91.50" in text and "金奖" in text


def test_unconfirmed_results_are_not_found_by_the_public(client, unconfirmed, changan_worker):
    result_for(unconfirmed, [changan_worker], rank=1, total="91.50", award="gold")
    assert client.get(f"/competitions/results/{unconfirmed.pk}/").status_code == 404
    assert client.get("/competitions/results/999999/").status_code == 404


# --- the player ------------------------------------------------------------------------------------


def test_a_worker_sees_their_own_contests_and_only_confirmed_results(
    client, worker_user, changan_worker, humen_worker, confirmed, unconfirmed
):
    result_for(confirmed, [changan_worker], rank=2, total="88.25", award="silver")
    result_for(unconfirmed, [changan_worker], rank=1, total="95.00", award="gold")
    result_for(confirmed, [humen_worker], rank=1, total="93.00", award="gold")
    client.force_login(worker_user)
    page = client.get("/competitions/mine/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count('data-testid="my-entry"') == 2
    assert "88.25" in text and "银奖" in text
    assert "95.00" not in text  # computed, not confirmed
    assert 'data-testid="my-result-pending"' in text
    assert "黄虎门" not in text and "93.00" not in text


def test_a_worker_sees_their_titles_and_competition_prizes_with_grants_state_labels(
    client, worker_user, changan_worker, humen_worker, changan
):
    title_for(changan_worker, on=datetime.date(2024, 12, 1), number="DGJSNS2024000001")
    title_for(humen_worker, on=datetime.date(2024, 12, 1), number="DGJSNS2024000002")
    for worker, rule, state in (
        (changan_worker, "CMP-PRIZE-CITY", "in_notice"),
        (changan_worker, "TRN-SUBSIDY", "paid"),  # not a competition rule
        (humen_worker, "CMP-PRIZE-CITY", "paid"),  # someone else's
    ):
        Application.objects.create(
            rule_id=rule,
            worker=worker,
            town=worker.town,
            event_date=datetime.date(2024, 9, 12),
            state=state,
            created_by=worker_user,
        )
    client.force_login(worker_user)
    text = client.get("/competitions/mine/").content.decode()
    assert "DGJSNS2024000001" in text and "DGJSNS2024000002" not in text
    assert text.count('data-testid="my-prize"') == 1
    assert 'data-state="in_notice"' in text and "公示中" in text


def test_my_contests_is_for_workers_and_linked_from_their_home(
    client, worker_user, enterprise_user, bureau_officer
):
    assert client.get("/competitions/mine/").status_code == 302  # to the login page
    client.force_login(enterprise_user)
    assert client.get("/competitions/mine/").status_code == 403
    client.force_login(worker_user)
    assert "/competitions/mine/" in client.get("/").content.decode()


# --- the bureau's statistics -----------------------------------------------------------------------


def test_only_the_bureau_sees_the_statistics(
    client, bureau_officer, changan_officer, enterprise_user, worker_user
):
    assert client.get("/competitions/stats/").status_code == 302
    for user in (changan_officer, enterprise_user, worker_user):
        client.force_login(user)
        assert client.get("/competitions/stats/").status_code == 403
        assert client.get("/competitions/stats/xlsx/").status_code == 403
    client.force_login(bureau_officer)
    page = client.get("/competitions/stats/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "T-COMPETITIONS" in text and "D003 §四(三)" in text


def test_the_statistics_download_as_xlsx_without_formulas(client, bureau_officer, confirmed):
    client.force_login(bureau_officer)
    response = client.get("/competitions/stats/xlsx/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["目标对照", "按级别", "镇街竞赛", "基线"]
    targets = book["目标对照"]
    header = [c.value for c in targets[1]]
    assert header[2] == 2021
    row = [c.value for c in targets[2]]  # city contest projects
    assert row[0] == "市级竞赛项目" and row[1] == 10
    assert row[header.index(2024)] == 1
    for sheet in book.worksheets:
        for cells in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in cells)


def test_a_town_officer_and_anyone_see_the_public_pages(client, changan_officer, confirmed):
    client.force_login(changan_officer)
    assert client.get("/competitions/calendar/").status_code == 200
    assert client.get(f"/competitions/results/{confirmed.pk}/").status_code == 200


def test_the_public_home_links_the_calendar(client):
    assert "/competitions/calendar/" in client.get("/").content.decode()


def test_a_team_entry_shows_the_team_and_teammates(client, worker_user, changan_worker, confirmed):
    mate = WorkerFactory(name="李队友")
    result_for(confirmed, [changan_worker, mate], rank=1, total="90", award="gold", team_name="长安一队")
    client.force_login(worker_user)
    assert "李队友" in client.get("/competitions/mine/").content.decode()
    public = client.get(f"/competitions/results/{confirmed.pk}/").content.decode()
    assert "长安一队" in public and "李*友" in public and "陈*安" in public
