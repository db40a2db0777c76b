"""External competitions of the demo: Dongguan players' provincial, national and WorldSkills results,
recorded the way the bureau records them — one .xlsx in the published layout through the awards part's
import (services.imports.results_import) — and the training camps (camp_record, camp_complete)."""

from __future__ import annotations

import datetime
from typing import Any

from skillcity.competitions.demo.base import CITY_PROJECTS, NATION, PROVINCE, YEARS, Demo, players_pick

PRIZE = {"金奖": 20000, "银奖": 10000, "铜奖": 5000, "优胜奖": 2000, "未获奖": 0}
WORLDSKILLS = "第46届世界技能大赛特别赛"
WORLDSKILLS_PROJECT = ("6-31-07-01", "工业4.0")


def external_results(demo: Demo) -> dict[int, Any]:
    """Per year: a provincial class-1 contest (the one the year's city selection feeds) with 8 projects,
    a provincial class-2 contest with 3, a national class-2 contest with 2; and in 2022 the WorldSkills
    bronze medal with its coach. Returns the provincial class-1 competition of each year."""
    from skillcity.competitions.models import Competition
    from skillcity.competitions.services.imports import COLUMNS, results_import
    from skillcity.core.spreadsheets import table_workbook

    rng = demo.rng
    rows: list[list[Any]] = []
    for year in YEARS:
        for level, name, projects, per_project, organiser, awards in (
            (
                "省级一类",
                f"{year}年广东省职业技能大赛",
                8,
                6,
                PROVINCE,
                ["金奖", "银奖", "铜奖", "优胜奖", "优胜奖", "未获奖"],
            ),
            (
                "省级二类",
                f"{year}年广东省“粤菜师傅”职业技能竞赛",
                3,
                5,
                PROVINCE,
                ["银奖", "铜奖", "优胜奖", "优胜奖", "未获奖"],
            ),
            ("国家级二类", f"{year}年全国行业职业技能竞赛", 2, 3, NATION, ["银奖", "铜奖", "未获奖"]),
        ):
            day = datetime.date(year, 10 if level == "国家级二类" else 7, 15)
            for i in range(projects):
                code, project_name, _direction = CITY_PROJECTS[(i * 5 + year) % len(CITY_PROJECTS)]
                rank = rng.randint(1, 3)
                for k, (unit, players) in enumerate(players_pick(demo, per_project, 1, None, False)):
                    award = awards[min(k, len(awards) - 1)] if rng.random() < 0.85 else "未获奖"
                    scale = 2 if level.startswith("国家") else 1
                    rows.append(
                        [
                            name,
                            level,
                            year,
                            organiser,
                            project_name,
                            code,
                            2,
                            (day + datetime.timedelta(days=i % 4)).isoformat(),
                            players[0].id_number,
                            unit.uscc,
                            award,
                            rank,
                            str(PRIZE[award] * scale),
                            "",
                        ]
                    )
                    rank += rng.randint(1, 4)
    # WorldSkills: one bronze medal, coached by a registry worker (a judge of the city's contests).
    unit, players = players_pick(demo, 1, 1, None, False)[0]
    coach = demo.judges[-1][0]
    rows.append(
        [
            WORLDSKILLS,
            "世界技能大赛",
            2022,
            "世界技能组织",
            WORLDSKILLS_PROJECT[1],
            WORLDSKILLS_PROJECT[0],
            1,
            "2022-10-14",
            players[0].id_number,
            unit.uscc,
            "铜奖",
            3,
            "0",
            coach.id_number,
        ]
    )
    header = [str(label) for label in COLUMNS.values()]
    content = table_workbook("成绩", header, rows)
    report = results_import(filename="演示-省级以上竞赛东莞选手成绩.xlsx", content=content, actor=demo.bureau)
    demo.count("external_results", report.created)
    _camps(demo, players[0])
    return {
        c.year: c
        for c in Competition.objects.filter(
            external=True, level="provincial_class1", name__endswith="广东省职业技能大赛"
        )
    }


def _camps(demo: Demo, medallist: Any) -> None:
    """The WorldSkills base: a technical school's national selection camp, completed (CMP-WS-BASE); and a
    unit's camp for a provincial project each year from 2023 (CMP-CAMP)."""
    from skillcity.competitions.models import ContestProject, EntryPlayer
    from skillcity.competitions.services.camps import camp_complete, camp_record
    from skillcity.registry.models import OrganisationCategory

    ws_project = ContestProject.objects.get(competition__name=WORLDSKILLS)
    base = next((h for h in demo.hosts if h.category == OrganisationCategory.TECHNICAL_SCHOOL), demo.hosts[0])
    camp = camp_record(
        actor=demo.bureau,
        project=ws_project,
        unit=base,
        starts_on=datetime.date(2021, 9, 1),
        ends_on=datetime.date(2022, 9, 30),
        trainees=[(medallist.id_number, 13)],
        selection_level="national",
    )
    camp_complete(camp=camp, actor=demo.bureau)
    for year in (2023, 2024, 2025):
        project = (
            ContestProject.objects.filter(competition__year=year, competition__level="provincial_class1")
            .order_by("id")
            .first()
        )
        if project is None:
            continue
        player = EntryPlayer.objects.filter(project=project).select_related("worker", "entry__unit").first()
        if player is None:
            continue
        camp_record(
            actor=demo.bureau,
            project=project,
            unit=player.entry.unit,
            starts_on=datetime.date(year, 5, 1),
            ends_on=datetime.date(year, 6, 30),
            trainees=[(player.worker.id_number, 2)],
            completed=True,
        )
        demo.count("camps")
