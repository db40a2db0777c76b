"""Issue 15 item 5: the bureau's statistics are counted from the records (T-COMPETITIONS, D002 item 14)."""

from __future__ import annotations

import datetime

import pytest

from skillcity.competitions.models import Competition, ContestProject
from skillcity.competitions.selectors.stats import competition_stats
from tests.competitions.people_records import confirmed_project, result_for, title_for
from tests.factories import CompetitionFactory, ContestProjectFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(changan, humen):
    """2024: two city contests with 11 projects, a selection, a draft (not counted); a Changan town
    contest; provincial and national results; titles (one revoked)."""
    class1 = CompetitionFactory(year=2024, level="city_class1")
    class2 = CompetitionFactory(year=2024, level="city_class2")
    selection = CompetitionFactory(year=2024, level="city_selection")
    for i in range(6):
        ContestProjectFactory(competition=class1, name=f"一类项目{i}")
    for i in range(4):
        ContestProjectFactory(competition=class2, name=f"二类项目{i}")
    ContestProjectFactory(competition=selection)
    draft = CompetitionFactory(year=2024, level="city_class1", state=Competition.State.DRAFT)
    ContestProjectFactory(competition=draft)
    CompetitionFactory(year=2024, level="town", town=changan)
    CompetitionFactory(year=2023, level="town", town=humen)

    provincial = CompetitionFactory(
        year=2024, level="provincial_class1", external=True, organiser=None, organiser_name="广东省人社厅"
    )
    p_project = ContestProjectFactory(competition=provincial, state=ContestProject.State.SETUP)
    for rank, award in enumerate(["gold", "silver", "bronze", "excellence", ""], start=1):
        result_for(p_project, [WorkerFactory()], rank=rank, total="80", award=award)
    national = CompetitionFactory(
        year=2024, level="national_class2", external=True, organiser=None, organiser_name="人社部"
    )
    n_project = ContestProjectFactory(competition=national)
    result_for(
        n_project, [WorkerFactory(), WorkerFactory()], rank=1, total="90", award="gold", team_name="东莞队"
    )
    # A city result not yet confirmed is not an award anyone counts (and city awards are not in the target).
    result_for(ContestProjectFactory(competition=class1), [WorkerFactory()], rank=1, total="90", award="gold")
    ws = CompetitionFactory(
        year=2022, level="worldskills", external=True, organiser=None, organiser_name="世界技能组织"
    )
    result_for(confirmed_project(competition=ws), [WorkerFactory()], rank=2, total="0", award="silver")

    for i in range(3):
        title_for(WorkerFactory(), on=datetime.date(2024, 11, 1), number=f"T2024{i}")
    title_for(WorkerFactory(), on=datetime.date(2024, 11, 1), number="T2024R", status="revoked")
    title_for(WorkerFactory(), on=datetime.date(2022, 11, 1), number="T2022")


def test_contests_and_projects_per_year_by_level_count_published_records(records):
    stats = competition_stats()
    assert stats.years[0] == 2021 and stats.years[-1] == 2025
    row = stats.row(2024)
    assert row.contests["city_class1"] == 1  # the draft is not counted
    assert row.projects["city_class1"] == 7  # six, and the one with an unconfirmed result
    assert row.city_contests == 3
    assert row.city_projects == 12
    assert row.contests_total == 6 and row.projects_total == 14


def test_town_contests_name_the_towns_that_held_none(records):
    stats = competition_stats()
    assert stats.row(2024).town_contests == 1
    assert "虎门镇" in stats.row(2024).towns_without and "长安镇" not in stats.row(2024).towns_without
    assert "长安镇" in stats.row(2023).towns_without and "虎门镇" not in stats.row(2023).towns_without
    changan_row = next(t for t in stats.towns if t.town == "长安镇")
    assert changan_row.counts[stats.years.index(2024)] == 1


def test_titles_and_awards_per_year_against_the_targets(records):
    stats = competition_stats()
    row = stats.row(2024)
    assert row.titles == 3  # the revoked one does not count
    assert row.provincial_awards == 4  # the fifth has no award
    assert row.national_awards == 1  # a team is one award
    assert stats.row(2022).worldskills_awards == 1
    targets = {t.target.key: t for t in stats.targets}
    cells = {c.year: c for c in targets["city_projects"].cells}
    assert cells[2024].met and not cells[2023].met
    assert targets["worldskills_awards"].years_met == 1
    assert not any(c.met for c in targets["titles"].cells)


def test_the_baselines_compare_records_since_2021(records):
    stats = competition_stats()
    city, titles = stats.baselines
    assert (city.catalog, city.actual) == (34, 3)
    assert (titles.catalog, titles.actual) == (278, 4)


def test_the_page_shows_the_same_numbers(client, bureau_officer, records):
    client.force_login(bureau_officer)
    text = client.get("/competitions/stats/").content.decode()
    assert 'data-target="city_projects"' in text
    assert 'data-year="2024" data-value="12"' in text
    assert 'data-year="2024" data-value="3"' in text  # titles
