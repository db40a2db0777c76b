"""Issue 15 item 6: the competitions demo holds the city's volumes, computed through the services."""

from __future__ import annotations

import io

import pytest

from skillcity.competitions.models import (
    CITY_LEVELS,
    Competition,
    ContestProject,
    Mark,
    Result,
    Title,
    TrainingCamp,
)
from skillcity.registry.models import SkillRecord, Town

# On PostgreSQL the whole demo, these steps among them, is built by tests/core/test_demo_contents.py (D-4).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow, pytest.mark.sqlite_only]


@pytest.fixture
def small_city(reference_data):
    from skillcity.demo import demo_accounts_ensure
    from skillcity.grants.demo import demo_funds
    from skillcity.registry.generate import generate_city

    generate_city(seed=11, scale="demo", workers=1500, organisations=120, progress=False)
    demo_accounts_ensure()
    demo_funds(1, io.StringIO())


def test_the_demo_holds_the_citys_volumes_through_the_services_once(small_city):
    from skillcity.accounts.models import User
    from skillcity.competitions.demo import competitions_demo
    from skillcity.competitions.selectors.people import player_page
    from skillcity.competitions.selectors.stats import competition_stats
    from skillcity.competitions.services.results import entry_totals
    from skillcity.grants.models import Application

    out = io.StringIO()
    competitions_demo(2026, out)

    # Catalog §11's baselines: 34 city contests since 2021, 278 东莞市技术能手 (all signed, from results).
    city = Competition.objects.filter(level__in=CITY_LEVELS, external=False)
    assert city.count() == 34, out.getvalue()
    assert set(city.values_list("year", flat=True)) == {2021, 2022, 2023, 2024, 2025}
    titles = Title.objects.filter(honour=SkillRecord.Honour.DONGGUAN_TECHNICAL_EXPERT)
    assert titles.count() == 278
    assert not titles.filter(result__isnull=True).exists() and not titles.filter(qr_token="").exists()
    stats = competition_stats()
    for row in stats.rows[:5]:
        assert row.city_projects >= 10, row  # T-COMPETITIONS
        assert row.towns_without == [], row  # D002 item 14: every town, every year
        assert row.town_contests == Town.objects.count()
    assert stats.baselines[0].actual == 34 and stats.baselines[1].actual == 278

    # Provincial and national results of Dongguan players, and one WorldSkills medal with coach and base.
    assert (
        Result.objects.filter(project__competition__level__startswith="provincial", award__gt="").count()
        > 100
    )
    assert Result.objects.filter(project__competition__level__startswith="national", award__gt="").exists()
    medal = Result.objects.get(project__competition__level="worldskills")
    assert medal.award in ("gold", "silver", "bronze") and medal.entry.coach is not None
    assert TrainingCamp.objects.filter(
        project=medal.project, selection_level="national", completed=True
    ).exists()

    # Marks, never typed totals: every confirmed city or town result is what its marks compute.
    confirmed = ContestProject.objects.filter(state="confirmed", competition__external=False)
    assert confirmed.count() == ContestProject.objects.filter(competition__external=False).count() - 1
    for project in confirmed.order_by("?")[:25]:
        totals = entry_totals(project)
        for result in project.results.all():
            assert Mark.objects.filter(entry=result.entry, state="submitted").exists()
            assert result.total == totals[result.entry_id][0]

    # The money through grants, in several states, made from the records.
    states = set(
        Application.objects.filter(source_key__startswith="competitions.").values_list("state", flat=True)
    )
    assert {"in_review", "reviewed", "in_notice", "paid"} <= states, out.getvalue()

    # The demo worker has a published result on "我的竞赛"; the judge account exists.
    worker = User.objects.get(username="worker").worker
    page = player_page(worker)
    assert any(e.result is not None and e.result.award for e in page.entries)
    assert User.objects.filter(username="judge", role="worker").exists()

    counts = (Competition.objects.count(), Title.objects.count(), Application.objects.count())
    competitions_demo(2026, io.StringIO())
    assert (Competition.objects.count(), Title.objects.count(), Application.objects.count()) == counts
