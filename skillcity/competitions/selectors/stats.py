"""The bureau's competition statistics, computed from the records (never typed): contests and projects per
year by level, town contests per town (D002 item 14), titles and awards per year against T-COMPETITIONS.

Counting rules (docs/competitions.md, "选手、公众与统计"):
- a competition counts in its `year` once published (drafts are the organiser's own);
- a project counts with its competition; "city contest projects" are the projects of city_class1,
  city_class2 and city_selection competitions;
- an award is a published result with a medal or 优胜奖 (a team's entry is one award), in the year of its
  competition; national = national_class1/2, provincial = provincial_class1/2, WorldSkills = worldskills;
- a 东莞市技术能手 counts in the year it was awarded, unless revoked.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from skillcity.competitions.models import (
    CITY_LEVELS,
    Award,
    Competition,
    ContestProject,
    Level,
    Result,
    Title,
)
from skillcity.competitions.selectors.people import (
    CALENDAR_FIRST_YEAR,
    PUBLIC_STATES,
    published_results_q,
)
from skillcity.registry.models import SkillRecord, Town

# Policy catalog §11: T-COMPETITIONS (D003 §四(三)), by the end of 2025, per year.
TARGET_ID = "T-COMPETITIONS"
TARGET_SOURCE = "D003 §四(三)"
TARGETS_UNTIL = 2025
# Baselines of §11 (D003, as of 2023): "34 city contests since 2021, 278 东莞市技术能手".
BASELINE_SOURCE = "D003 §四(三)"
BASELINE_CITY_CONTESTS = 34
BASELINE_TITLES = 278

DONGGUAN_TITLE = SkillRecord.Honour.DONGGUAN_TECHNICAL_EXPERT
NATIONAL_LEVELS = (Level.NATIONAL_CLASS1, Level.NATIONAL_CLASS2)
PROVINCIAL_LEVELS = (Level.PROVINCIAL_CLASS1, Level.PROVINCIAL_CLASS2)
AWARDS = (Award.GOLD, Award.SILVER, Award.BRONZE, Award.EXCELLENCE)


@dataclass(frozen=True)
class Target:
    key: str
    label: Any
    per_year: int


# The five yearly numbers of T-COMPETITIONS, in the catalog's order.
TARGETS = (
    Target("city_projects", _("市级竞赛项目"), 10),
    Target("titles", _("东莞市技术能手"), 100),
    Target("worldskills_awards", _("世界技能大赛获奖"), 1),
    Target("national_awards", _("国家级竞赛获奖"), 5),
    Target("provincial_awards", _("省级竞赛获奖"), 50),
)


@dataclass
class YearRow:
    year: int
    contests: dict[str, int]  # level → published competitions
    projects: dict[str, int]  # level → their projects
    contests_total: int
    projects_total: int
    city_contests: int
    city_projects: int
    titles: int
    worldskills_awards: int
    national_awards: int
    provincial_awards: int
    town_contests: int
    towns_without: list[str]

    def value(self, key: str) -> int:
        return int(getattr(self, key))


@dataclass
class TargetCell:
    year: int
    value: int
    met: bool


@dataclass
class TargetRow:
    target: Target
    cells: list[TargetCell]

    @property
    def years_met(self) -> int:
        return sum(1 for c in self.cells if c.met)


@dataclass
class BaselineRow:
    label: Any
    catalog: int  # the catalog's baseline figure (a count)
    actual: int


@dataclass
class TownRow:
    town: str
    counts: list[int]  # per year, in CompetitionStats.years order


@dataclass
class CompetitionStats:
    years: list[int]
    levels: list[tuple[str, Any]]
    rows: list[YearRow]
    targets: list[TargetRow]
    baselines: list[BaselineRow]
    towns: list[TownRow]
    town_count: int

    def row(self, year: int) -> YearRow:
        return next(r for r in self.rows if r.year == year)


def stats_years(today: datetime.date | None = None) -> list[int]:
    """2021 (the baselines' start) to the later of 2025 (the targets' end) and the newest record's year."""
    newest = Competition.objects.filter(state__in=PUBLIC_STATES).aggregate(y=Max("year"))["y"] or 0
    titled = Title.objects.aggregate(d=Max("awarded_on"))["d"]
    last = max(TARGETS_UNTIL, newest, titled.year if titled else 0)
    return list(range(CALENDAR_FIRST_YEAR, last + 1))


def competition_stats(*, years: list[int] | None = None) -> CompetitionStats:
    years = years or stats_years()
    first, last = years[0], years[-1]
    competitions = Competition.objects.filter(state__in=PUBLIC_STATES, year__gte=first, year__lte=last)
    contests: dict[int, dict[str, int]] = defaultdict(dict)
    for row in competitions.values("year", "level").annotate(n=Count("id")).order_by():
        contests[row["year"]][row["level"]] = row["n"]
    projects: dict[int, dict[str, int]] = defaultdict(dict)
    project_rows = (
        ContestProject.objects.filter(competition__in=competitions)
        .values("competition__year", "competition__level")
        .annotate(n=Count("id"))
        .order_by()
    )
    for prow in project_rows:
        projects[prow["competition__year"]][prow["competition__level"]] = prow["n"]

    titles: dict[int, int] = {
        row["y"]: row["n"]
        for row in Title.objects.filter(honour=DONGGUAN_TITLE, status=Title.Status.VALID)
        .annotate(y=ExtractYear("awarded_on"))
        .values("y")
        .annotate(n=Count("id"))
        .order_by()
    }
    awards: dict[tuple[int, str], int] = {
        (row["project__competition__year"], row["project__competition__level"]): row["n"]
        for row in Result.objects.filter(
            published_results_q("project__"),
            award__in=AWARDS,
            project__competition__state__in=PUBLIC_STATES,
        )
        .values("project__competition__year", "project__competition__level")
        .annotate(n=Count("id"))
        .order_by()
    }

    towns = list(Town.objects.order_by("sort_order", "code"))
    per_town: dict[tuple[int, int], int] = {
        (row["town_id"], row["year"]): row["n"]
        for row in competitions.filter(level=Level.TOWN)
        .values("town_id", "year")
        .annotate(n=Count("id"))
        .order_by()
    }

    rows = []
    for year in years:
        by_level, projects_by_level = contests.get(year, {}), projects.get(year, {})
        rows.append(
            YearRow(
                year=year,
                contests=by_level,
                projects=projects_by_level,
                contests_total=sum(by_level.values()),
                projects_total=sum(projects_by_level.values()),
                city_contests=sum(by_level.get(lv, 0) for lv in CITY_LEVELS),
                city_projects=sum(projects_by_level.get(lv, 0) for lv in CITY_LEVELS),
                titles=titles.get(year, 0),
                worldskills_awards=awards.get((year, Level.WORLDSKILLS), 0),
                national_awards=sum(awards.get((year, lv), 0) for lv in NATIONAL_LEVELS),
                provincial_awards=sum(awards.get((year, lv), 0) for lv in PROVINCIAL_LEVELS),
                town_contests=by_level.get(Level.TOWN, 0),
                towns_without=[t.name for t in towns if not per_town.get((t.pk, year))],
            )
        )
    target_rows = [
        TargetRow(
            target=t,
            cells=[TargetCell(r.year, r.value(t.key), r.value(t.key) >= t.per_year) for r in rows],
        )
        for t in TARGETS
    ]
    city_since = Competition.objects.filter(
        state__in=PUBLIC_STATES, level__in=CITY_LEVELS, year__gte=CALENDAR_FIRST_YEAR
    ).count()
    titles_since = Title.objects.filter(
        Q(awarded_on__year__gte=CALENDAR_FIRST_YEAR), honour=DONGGUAN_TITLE, status=Title.Status.VALID
    ).count()
    return CompetitionStats(
        years=years,
        levels=list(Level.choices),
        rows=rows,
        targets=target_rows,
        baselines=[
            BaselineRow(_("2021年以来市级竞赛"), BASELINE_CITY_CONTESTS, city_since),
            BaselineRow(_("东莞市技术能手"), BASELINE_TITLES, titles_since),
        ],
        towns=[TownRow(t.name, [per_town.get((t.pk, y), 0) for y in years]) for t in towns],
        town_count=len(towns),
    )


def stats_as_dict(stats: CompetitionStats) -> dict[str, Any]:
    """The same numbers as the page, for the API (levels and targets by their codes)."""
    return {
        "target": {"id": TARGET_ID, "source": TARGET_SOURCE, "until": TARGETS_UNTIL},
        "years": [
            {
                "year": r.year,
                "contests": {code: r.contests.get(code, 0) for code, _label in stats.levels},
                "projects": {code: r.projects.get(code, 0) for code, _label in stats.levels},
                "contests_total": r.contests_total,
                "projects_total": r.projects_total,
                "city_contests": r.city_contests,
                "city_projects": r.city_projects,
                "titles": r.titles,
                "worldskills_awards": r.worldskills_awards,
                "national_awards": r.national_awards,
                "provincial_awards": r.provincial_awards,
                "town_contests": r.town_contests,
                "towns_without": r.towns_without,
            }
            for r in stats.rows
        ],
        "targets": [
            {
                "key": t.target.key,
                "per_year": t.target.per_year,
                "met": {str(c.year): c.met for c in t.cells},
            }
            for t in stats.targets
        ],
        "baselines": {
            "source": BASELINE_SOURCE,
            "city_contests_since_2021": {
                "baseline": stats.baselines[0].catalog,
                "actual": stats.baselines[0].actual,
            },
            "dongguan_technical_experts": {
                "baseline": stats.baselines[1].catalog,
                "actual": stats.baselines[1].actual,
            },
        },
        "towns": [
            {"town": t.town, "counts": dict(zip(map(str, stats.years), t.counts, strict=True))}
            for t in stats.towns
        ],
    }
