"""City and town contests of the demo, through the marking services: the organiser (the bureau) creates
and publishes, units' players are registered, judges mark, results are computed, the chief judge
confirms, and 东莞市技术能手 are awarded through the titles service."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from skillcity.competitions.demo.base import (
    CITY_ORGANISER,
    CITY_PROJECTS,
    CITY_SCHEME,
    TITLES_FROM,
    TITLES_TOTAL,
    TOWN_PROJECTS,
    TOWN_SCHEME,
    YEARS,
    Demo,
    Plan,
    players_pick,
)

# --- the plan ---------------------------------------------------------------------------------------


def city_plans(year: int) -> list[Plan]:
    """Six contests in 2021, seven a year after (34 in all); 11–12 projects a year. CMP-TITLE is in force
    from 2022, so the 278 titles are named 2022–2025: class 1 names eight winners per project (7 × 8 × 4 =
    224), class 2 three for its first ten contests and four for the last six (54)."""
    titled = year >= TITLES_FROM
    plans = [
        Plan("city_class1", f"{year}年东莞市职业技能大赛", 5, 9, 8 if titled else None, 5),
        Plan("city_class1", f"{year}年东莞市“技能莞邑”智能制造职业技能竞赛", 2, 9, 8 if titled else None, 9),
    ]
    class2 = 3 if year == 2021 else 4
    for i in range(class2):
        done_before = 4 * (year - TITLES_FROM)
        quota = (3 if done_before + i < 10 else 4) if titled else None
        plans.append(Plan("city_class2", "", 1, 6, quota, 4 + 2 * i))
    plans.append(Plan("city_selection", f"{year}年广东省职业技能大赛东莞市选拔赛", 1, 5, None, 3))
    return plans


# --- city and town contests, marked and confirmed ------------------------------------------------


def city_contest(demo: Demo, year: int, plan: Plan, feeds: Any, *, quota: int | None = None) -> None:
    from skillcity.competitions.services import contests

    specs = [
        CITY_PROJECTS[(year * 3 + demo.counts.get("city_projects", 0) + i) % len(CITY_PROJECTS)]
        for i in range(plan.projects)
    ]
    name = plan.name or f"{year}年东莞市{specs[0][1]}职业技能竞赛"
    starts = datetime.date(year, plan.month, 10)
    competition = contests.competition_create(
        actor=demo.bureau,
        name=name,
        level=plan.level,
        year=year,
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=20),
        organiser_name=CITY_ORGANISER,
        feeds=feeds if plan.level == "city_selection" else None,
        title_quota=plan.quota if quota is None else quota,
        promotion_rule={
            "bands": [{"from": 1, "to": 3, "level": 2}, {"from": 4, "to": 10, "level": 3}],
            "pass_level": 4,
        }
        if plan.level == "city_class1"
        else None,
    )
    contests.competition_publish(competition=competition, actor=demo.bureau)
    demo.count("city")
    for i, (code, project_name, direction) in enumerate(specs):
        team = plan.level == "city_selection"  # the selection is for teams of two
        project = contests.project_create(
            competition=competition,
            actor=demo.bureau,
            name=project_name + ("（团体）" if team else ""),
            occupation=demo.occupations.get(code) or next(iter(demo.occupations.values())),
            level=3 if plan.level == "city_class2" else 2,
            starts_on=starts + datetime.timedelta(days=i * 2),
            ends_on=starts + datetime.timedelta(days=i * 2 + 1),
            direction=direction,
            host_unit=demo.hosts[(year + i) % len(demo.hosts)] if demo.hosts else None,
            venue=f"{demo.hosts[(year + i) % len(demo.hosts)].name}实训中心"
            if demo.hosts
            else "东莞市技师学院",
            team_size=2 if team else 1,
        )
        demo.count("city_projects")
        # The demo worker's one contest: 2024's 智能制造 contest, first project, so their page has a result
        # (and, through the awards part, a prize).
        with_demo = year == 2024 and plan.level == "city_class1" and i == 0 and plan.projects == 2
        last = year == YEARS[-1] and plan.level == "city_selection"
        # Class 1 is marked as WorldSkills marks (judgement by three judges); the rest by one judge.
        class1 = plan.level == "city_class1"
        _run_project(
            demo,
            project,
            CITY_SCHEME if class1 else TOWN_SCHEME,
            plan.entries,
            judges=3 if class1 else 1,
            team=team,
            demo_player=with_demo,
            confirm=not last,
            compute=class1,
        )
    if plan.quota is not None:
        _titles(demo, competition)


def _titles(demo: Demo, competition: Any) -> None:
    """东莞市技术能手 for the competition's qualifying winners (CMP-TITLE, its quota), a month after."""
    from skillcity.competitions.services.titles import titles_award

    titled = titles_award(
        actor=demo.bureau,
        competition=competition,
        awarded_on=competition.ends_on + datetime.timedelta(days=30),
    )
    demo.count("titles", len(titled))


def title_quota_left(demo: Demo) -> int:
    return max(0, TITLES_TOTAL - demo.counts.get("titles", 0))


def town_contests(demo: Demo, year: int) -> None:
    """Every town's contest of the year. The demo town officers (changan, humen) organise their own
    towns' contests, so their competition pages are not empty; the bureau organises the others."""
    from skillcity.accounts.models import User
    from skillcity.competitions.services import contests
    from skillcity.registry.models import Town

    officers = {
        u.town_id: u for u in User.objects.filter(username__in=("changan", "humen"), role="town_officer")
    }
    for n, town in enumerate(Town.objects.order_by("sort_order", "code")):
        organiser = officers.get(town.pk, demo.bureau)
        code, occupation_name = TOWN_PROJECTS[(n + year) % len(TOWN_PROJECTS)]
        starts = datetime.date(year, 3 + (n % 8), 5 + (n % 20))
        competition = contests.competition_create(
            actor=organiser,
            name=f"{year}年{town.name}{occupation_name}职业技能竞赛",
            level="town",
            year=year,
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=1),
            organiser_name=f"{town.name}人力资源和社会保障分局",
            town=town,
            gold_places=1,
            silver_places=1,
            bronze_places=1,
            excellence_places=2,
        )
        contests.competition_publish(competition=competition, actor=organiser)
        project = contests.project_create(
            competition=competition,
            actor=organiser,
            name=occupation_name,
            occupation=demo.occupations.get(code) or next(iter(demo.occupations.values())),
            level=4,
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=1),
            venue=f"{town.name}职业技能培训中心",
        )
        demo.count("town")
        _run_project(demo, project, TOWN_SCHEME, 3, judges=1, town=town, compute=False, organiser=organiser)


def _run_project(
    demo: Demo,
    project: Any,
    scheme: list[dict[str, Any]],
    entries: int,
    *,
    judges: int,
    team: bool = False,
    demo_player: bool = False,
    confirm: bool = True,
    town: Any = None,
    compute: bool = True,
    organiser: Any = None,
) -> None:
    """Register entries, assign judges, let the judges mark, compute; the chief judge confirms."""
    from skillcity.competitions.services import contests, marking, results

    rng = demo.rng
    organiser = organiser or demo.bureau
    contests.scheme_set(project=project, actor=organiser, sections=scheme)
    registered = []
    for unit, players in players_pick(demo, entries, 2 if team else 1, town, demo_player):
        registered.append(
            contests.entry_register(
                project=project,
                actor=demo.bureau,
                unit=unit,
                workers=players,
                team_name=f"{unit.name[:8]}队" if team else "",
                coach_name=rng.choice("陈李黄张梁何林罗")
                + rng.choice(["国强", "志明", "海燕", "建华", "丽萍", "文杰"]),
            )
        )
    offset = rng.randrange(len(demo.judges))
    panel = [demo.judges[(offset + j) % len(demo.judges)] for j in range(judges)]
    judge_rows = [
        contests.judge_assign(project=project, actor=organiser, worker=w, is_chief=(j == 0))
        for j, (w, _u) in enumerate(panel)
    ]
    aspects = [a for s in project.sections.prefetch_related("aspects") for a in s.aspects.all()]
    measurement = [a for a in aspects if a.kind == "measurement"]
    judgement = [a for a in aspects if a.kind == "judgement"]
    for entry in registered:
        # One ability per entry, so the judges agree roughly; the demo worker is among the best, and the
        # last entry is the weak one (the titled places all pass the pass mark).
        ability = (
            rng.uniform(0.9, 0.97)
            if demo_player and entry is registered[0]
            else rng.uniform(0.35, 0.68)
            if entry is registered[-1]
            else rng.uniform(0.7, 0.96)
        )
        for j, (judge, (_w, user)) in enumerate(zip(judge_rows, panel, strict=True)):
            scores: dict[int, Decimal | str] = {}
            if j == 0:
                for a in measurement:
                    mark = min(Decimal(1), Decimal(str(round(ability + rng.uniform(-0.06, 0.04), 3))))
                    scores[a.pk] = (a.max_mark * max(Decimal(0), mark)).quantize(Decimal("0.5"))
            for a in judgement:
                scores[a.pk] = str(max(0, min(3, round(ability * 3 + rng.uniform(-0.6, 0.4)))))
            if scores:
                marking.marks_save(judge=judge, entry=entry, actor=user, scores=scores, submit=True)
                demo.count("marks")
    # The organiser looks at the computed results before the chief judge confirms (confirming computes
    # them once more; the town contests, kept small for the demo's time, go straight to confirmation).
    if compute:
        results.results_compute(project=project, actor=demo.bureau)
    if confirm:
        results.results_confirm(project=project, actor=panel[0][1])
