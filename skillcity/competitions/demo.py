"""Demo step: competitions 2021–2025 at the city's volumes (issue 15 item 6), built through the services.

Catalog §11's baselines: 34 city contests since 2021 and 278 东莞市技术能手. So: 34 city contests
(class 1, class 2, and one provincial selection a year) with 11–12 projects a year (T-COMPETITIONS:
≥ 10), one town contest per town per year (D002 item 14), the provincial and national results of
Dongguan players, and one WorldSkills medal with its coach and its base (a completed national selection
camp). Every city and town result is computed from marks the judges entered (marks_save → results_compute
→ the chief judge's results_confirm); no total is typed. External results are recorded as imported.
Idempotent: nothing happens when a competition exists.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count

CITY_ORGANISER = "东莞市人力资源和社会保障局"
PROVINCE = "广东省人力资源和社会保障厅"
NATION = "人力资源和社会保障部"
YEARS = (2021, 2022, 2023, 2024, 2025)
TITLES_TOTAL = 278  # catalog §11: 278 东莞市技术能手 (D003)
JUDGE_POOL = 15

# (occupation code, project name, direction) for city projects, taken in turn.
CITY_PROJECTS = [
    ("6-18-01-01-02", "数控车", "数控车工"),
    ("6-18-01-02-02", "数控铣", "数控铣工"),
    ("6-31-07-01", "工业机器人系统运维", ""),
    ("6-31-01-03", "电工", "维修电工"),
    ("6-18-04-04", "模具制作", "注塑模具"),
    ("6-18-02-04", "焊接", "熔化焊"),
    ("6-20-01-01", "装配钳工", ""),
    ("6-25-04-10", "智能硬件装调", ""),
    ("4-04-05-01", "计算机程序设计", "移动应用开发"),
    ("4-03-02-01", "中式烹调（粤菜）", "粤菜"),
    ("4-10-01-05", "养老护理", ""),
    ("6-31-07-02", "工业视觉系统运维", ""),
    ("4-12-01-01", "汽车维修", ""),
    ("6-29-03-01", "制冷空调系统安装维修", ""),
]
TOWN_PROJECTS = [
    ("6-31-01-03", "电工"),
    ("6-18-02-04", "焊工"),
    ("4-03-02-01", "中式烹调师"),
    ("4-10-01-06", "家政服务员"),
    ("6-05-05-01", "缝纫工"),
    ("6-18-01-01", "车工"),
]
CITY_SCHEME = [
    {
        "code": "A",
        "name": "实操作品",
        "aspects": [
            {"code": "A1", "description": "尺寸与功能达标", "kind": "measurement", "max_mark": "40"},
            {"code": "A2", "description": "工艺与质量", "kind": "measurement", "max_mark": "30"},
        ],
    },
    {
        "code": "B",
        "name": "职业素养",
        "aspects": [
            {"code": "B1", "description": "安全文明生产与规范", "kind": "judgement", "max_mark": "30"}
        ],
    },
]
# Town contests and city class 2: one judge, measurement only (small and quick to mark).
TOWN_SCHEME = [
    {
        "code": "A",
        "name": "实操考核",
        "aspects": [
            {"code": "A1", "description": "操作规范", "kind": "measurement", "max_mark": "60"},
            {"code": "A2", "description": "作品质量", "kind": "measurement", "max_mark": "40"},
        ],
    }
]


@dataclass
class Plan:
    level: str
    name: str
    projects: int
    entries: int
    quota: int | None
    month: int


@dataclass
class Demo:
    rng: random.Random
    bureau: Any
    judges: list[tuple[Any, Any]]  # (worker, user)
    units: dict[int, list[Any]]  # unit id → its employees not yet used this project
    unit_objects: dict[int, Any]
    hosts: list[Any]
    occupations: dict[str, Any]
    demo_worker: Any
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def competitions_demo(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import User
    from skillcity.competitions.models import Competition

    if Competition.objects.exists():
        return
    bureau = User.objects.filter(username="bureau").first()
    if bureau is None:
        return
    with transaction.atomic():
        demo = _demo(random.Random(seed + 15), bureau)
        external = _external_competitions(demo)
        for year in YEARS:
            for plan in _city_plans(year):
                _city_contest(demo, year, plan, feeds=external.get(year))
            _town_contests(demo, year)
        _worldskills(demo)
    c = demo.counts
    stdout.write(
        f"  competitions: {c.get('city', 0)} city contests ({c.get('city_projects', 0)} projects), "
        f"{c.get('town', 0)} town contests, {c.get('external_results', 0)} provincial/national results, "
        f"{c.get('marks', 0)} marks saves"
    )


# --- the plan ---------------------------------------------------------------------------------------


def _city_plans(year: int) -> list[Plan]:
    """Six contests in 2021, seven a year after (34 in all); 11–12 projects a year. Title quotas add up to
    278: class 1 names six winners per project, class 2 four (three for the first eight class-2 contests)."""
    plans = [
        Plan("city_class1", f"{year}年东莞市职业技能大赛", 5, 8, 6, 5),
        Plan("city_class1", f"{year}年东莞市“技能莞邑”智能制造职业技能竞赛", 2, 8, 6, 9),
    ]
    class2 = 3 if year == 2021 else 4
    done_before = 0 if year == 2021 else 3 + 4 * (year - 2022)
    for i in range(class2):
        quota = 3 if done_before + i < 8 else 4
        plans.append(Plan("city_class2", "", 1, 6, quota, 4 + 2 * i))
    plans.append(Plan("city_selection", f"{year}年广东省职业技能大赛东莞市选拔赛", 1, 5, None, 3))
    return plans


def _demo(rng: random.Random, bureau: Any) -> Demo:
    from skillcity.accounts.models import User
    from skillcity.accounts.services import user_create
    from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, Worker

    demo_user = User.objects.filter(username="worker").select_related("worker").first()
    demo_worker = demo_user.worker if demo_user is not None else None
    demo_worker_id = demo_worker.pk if demo_worker is not None else 0
    schools = (
        OrganisationCategory.TECHNICAL_SCHOOL,
        OrganisationCategory.VOCATIONAL_COLLEGE,
        OrganisationCategory.TRAINING_INSTITUTION,
    )
    # Judges: highly skilled people outside enterprises (players come from enterprises, so no judge shares
    # a unit with a player), each with a worker account to mark from; the first is the demo's "judge".
    judges = []
    pool = list(
        Worker.objects.exclude(employer__category=OrganisationCategory.ENTERPRISE)
        .filter(highest_level__lte=3)
        .exclude(pk=demo_worker_id)
        .order_by("highest_level", "id")[:JUDGE_POOL]
    )
    for i, worker in enumerate(pool):
        user = User.objects.filter(worker=worker).first()
        if user is None:
            from skillcity.demo import DEMO_PASSWORD

            user = user_create(
                username="judge" if i == 0 else f"demo_judge_{i}",
                password=DEMO_PASSWORD if i == 0 else None,
                role="worker",
                actor="demo",
                display_name=worker.name,
                worker=worker,
            )
        judges.append((worker, user))
    rows = (
        Worker.objects.filter(employer__category=OrganisationCategory.ENTERPRISE)
        .values("employer_id")
        .annotate(n=Count("id"))
        .filter(n__gte=4)
        .order_by("employer_id")
    )
    unit_ids = [r["employer_id"] for r in rows]
    units: dict[int, list[Any]] = {i: [] for i in unit_ids}
    for worker in Worker.objects.filter(employer_id__in=unit_ids).exclude(pk=demo_worker_id):
        if worker.employer_id is not None:
            units[worker.employer_id].append(worker)
    return Demo(
        rng=rng,
        bureau=bureau,
        judges=judges,
        units=units,
        unit_objects=Organisation.objects.in_bulk(unit_ids),
        hosts=list(Organisation.objects.filter(category__in=schools).order_by("id")[:12]),
        occupations={o.code: o for o in Occupation.objects.all()},
        demo_worker=demo_worker,
    )


# --- city and town contests, marked and confirmed ------------------------------------------------


def _city_contest(demo: Demo, year: int, plan: Plan, feeds: Any) -> None:
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
        title_quota=plan.quota,
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
        team = plan.level == "city_class1" and i == 4  # the big contest's fifth project is for teams of two
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
        # The demo worker's one contest: 2024's big contest, first project, so their page has a result.
        with_demo = year == 2024 and plan.level == "city_class1" and i == 0 and plan.projects == 5
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
        )


def _town_contests(demo: Demo, year: int) -> None:
    from skillcity.competitions.services import contests
    from skillcity.registry.models import Town

    for n, town in enumerate(Town.objects.order_by("sort_order", "code")):
        code, occupation_name = TOWN_PROJECTS[(n + year) % len(TOWN_PROJECTS)]
        starts = datetime.date(year, 3 + (n % 8), 5 + (n % 20))
        competition = contests.competition_create(
            actor=demo.bureau,
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
        contests.competition_publish(competition=competition, actor=demo.bureau)
        project = contests.project_create(
            competition=competition,
            actor=demo.bureau,
            name=occupation_name,
            occupation=demo.occupations.get(code) or next(iter(demo.occupations.values())),
            level=4,
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=1),
            venue=f"{town.name}职业技能培训中心",
        )
        demo.count("town")
        _run_project(demo, project, TOWN_SCHEME, 4, judges=1, town=town)


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
) -> None:
    """Register entries, assign judges, let the judges mark, compute; the chief judge confirms."""
    from skillcity.competitions.services import contests, marking, results

    rng = demo.rng
    contests.scheme_set(project=project, actor=demo.bureau, sections=scheme)
    registered = []
    for unit, players in _players(demo, entries, 2 if team else 1, town, demo_player):
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
        contests.judge_assign(project=project, actor=demo.bureau, worker=w, is_chief=(j == 0))
        for j, (w, _u) in enumerate(panel)
    ]
    aspects = [a for s in project.sections.prefetch_related("aspects") for a in s.aspects.all()]
    measurement = [a for a in aspects if a.kind == "measurement"]
    judgement = [a for a in aspects if a.kind == "judgement"]
    for entry in registered:
        # One ability per entry, so the judges agree roughly; the demo worker is among the best.
        ability = rng.uniform(0.9, 0.97) if demo_player and entry is registered[0] else rng.uniform(0.5, 0.96)
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
    results.results_compute(project=project, actor=demo.bureau)
    if confirm:
        results.results_confirm(project=project, actor=panel[0][1])


def _players(
    demo: Demo, entries: int, size: int, town: Any, demo_player: bool
) -> list[tuple[Any, list[Any]]]:
    """`entries` (unit, players) pairs from distinct units; a town contest's units in that town if it
    has enough. The demo worker plays for their employer in the first entry when asked."""
    rng = demo.rng
    chosen: list[tuple[Any, list[Any]]] = []
    if demo_player and demo.demo_worker is not None and demo.demo_worker.employer_id:
        chosen.append((demo.demo_worker.employer, [demo.demo_worker]))
    ids = [i for i, staff in demo.units.items() if len(staff) >= size]
    local = [i for i in ids if town is not None and demo.unit_objects[i].town_id == town.pk]
    pool = local if len(local) >= entries else ids
    taken = {unit.pk for unit, _p in chosen}
    for unit_id in rng.sample(pool, min(len(pool), entries + 3)):
        if len(chosen) >= entries:
            break
        if unit_id in taken:
            continue
        staff = demo.units[unit_id]
        chosen.append((demo.unit_objects[unit_id], rng.sample(staff, size)))
        taken.add(unit_id)
    return chosen


# --- external competitions: provincial, national, WorldSkills (results imported) ------------------


def _external_competitions(demo: Demo) -> dict[int, Any]:
    """Per year a provincial class-1 contest (which the year's city selection feeds) with 8 projects, a
    provincial class-2 contest with 3, and a national class-2 contest with 2; Dongguan players' results
    recorded from the organisers' published lists."""
    from skillcity.competitions.services import contests

    fed: dict[int, Any] = {}
    for year in YEARS:
        for level, name, projects, per_project, organiser in (
            ("provincial_class1", f"{year}年广东省职业技能大赛", 8, 6, PROVINCE),
            ("provincial_class2", f"{year}年广东省“粤菜师傅”职业技能竞赛", 3, 5, PROVINCE),
            ("national_class2", f"{year}年全国行业职业技能竞赛（东莞参赛）", 2, 3, NATION),
        ):
            starts = datetime.date(year, 10 if level == "national_class2" else 7, 15)
            competition = contests.competition_create(
                actor=demo.bureau,
                name=name,
                level=level,
                year=year,
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=5),
                organiser_name=organiser,
                external=True,
            )
            contests.competition_publish(competition=competition, actor=demo.bureau)
            if level == "provincial_class1":
                fed[year] = competition
            for i in range(projects):
                code, project_name, direction = CITY_PROJECTS[(i * 5 + year) % len(CITY_PROJECTS)]
                project = contests.project_create(
                    competition=competition,
                    actor=demo.bureau,
                    name=project_name,
                    occupation=demo.occupations.get(code) or next(iter(demo.occupations.values())),
                    level=2,
                    starts_on=starts + datetime.timedelta(days=i % 4),
                    ends_on=starts + datetime.timedelta(days=i % 4 + 1),
                    direction=direction,
                    venue="广州" if level != "national_class2" else "北京",
                )
                _import_results(demo, project, per_project, national=level.startswith("national"))
    return fed


def _import_results(demo: Demo, project: Any, count: int, *, national: bool) -> None:
    """Record Dongguan players' published results of an external project (rank, award, prize money)."""
    from skillcity.competitions.models import Entry, EntryPlayer, Result

    rng = demo.rng
    awards = (
        ["gold", "silver", "bronze", "excellence", "excellence", ""]
        if not national
        else ["silver", "bronze", ""]
    )
    prize = {"gold": 20000, "silver": 10000, "bronze": 5000, "excellence": 2000, "": 0}
    rank = rng.randint(1, 3)
    for k, (unit, players) in enumerate(_players(demo, count, 1, None, False)):
        award = awards[min(k, len(awards) - 1)] if rng.random() < 0.85 else ""
        entry = Entry.objects.create(
            project=project,
            unit=unit,
            coach_name=rng.choice(["陈国强", "李海燕", "黄建华"]),
            registered_by=demo.bureau,
        )
        EntryPlayer.objects.create(entry=entry, project=project, worker=players[0])
        Result.objects.create(
            project=project,
            entry=entry,
            rank=rank,
            award=award,
            passed=True,
            prize_money=Decimal(prize[award] * (2 if national else 1)),
        )
        rank += rng.randint(1, 4)
        demo.count("external_results")


def _worldskills(demo: Demo) -> None:
    """The 46th WorldSkills (special edition, 2022): one Dongguan bronze medal, its coach (a registry
    worker) and its base (a technical school's completed national selection camp)."""
    from skillcity.competitions.models import CampTrainee, Entry, EntryPlayer, Result, TrainingCamp
    from skillcity.competitions.services import contests
    from skillcity.registry.models import OrganisationCategory

    start = datetime.date(2022, 10, 12)
    competition = contests.competition_create(
        actor=demo.bureau,
        name="第46届世界技能大赛特别赛",
        level="worldskills",
        year=2022,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=10),
        organiser_name="世界技能组织",
        external=True,
    )
    contests.competition_publish(competition=competition, actor=demo.bureau)
    project = contests.project_create(
        competition=competition,
        actor=demo.bureau,
        name="工业4.0",
        occupation=demo.occupations.get("6-31-07-01") or next(iter(demo.occupations.values())),
        level=1,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=3),
        venue="德国莱比锡",
    )
    base = next((h for h in demo.hosts if h.category == OrganisationCategory.TECHNICAL_SCHOOL), demo.hosts[0])
    unit, players = _players(demo, 1, 1, None, False)[0]
    coach = demo.judges[-1][0]
    entry = Entry.objects.create(project=project, unit=unit, coach=coach, registered_by=demo.bureau)
    EntryPlayer.objects.create(entry=entry, project=project, worker=players[0])
    Result.objects.create(project=project, entry=entry, rank=3, award="bronze", passed=True)
    camp = TrainingCamp.objects.create(
        project=project,
        unit=base,
        selection_level=TrainingCamp.SelectionLevel.NATIONAL,
        starts_on=datetime.date(2021, 9, 1),
        ends_on=datetime.date(2022, 9, 30),
        completed=True,
        created_by=demo.bureau,
    )
    CampTrainee.objects.create(camp=camp, worker=players[0], months=13)
    demo.count("worldskills")
