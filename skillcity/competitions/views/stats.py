"""The bureau's competition statistics against T-COMPETITIONS, as a page and as an .xlsx download.

Only the bureau sees them: they measure the city's targets. A town officer sees their town's contests in
the public calendar; the statistics are not split by town office (a decision, docs/competitions.md).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from skillcity.competitions.selectors import stats as S
from skillcity.core.access import acting_user, require_role
from skillcity.core.spreadsheets import new_workbook, workbook_bytes

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), "bureau_officer")
    stats = S.competition_stats()
    # Per level, per year: (competitions, projects).
    level_rows = [
        (code, label, [(r.contests.get(code, 0), r.projects.get(code, 0)) for r in stats.rows])
        for code, label in stats.levels
    ]
    return render(
        request,
        "competitions/people/stats.html",
        {
            "stats": stats,
            "level_rows": level_rows,
            "target_id": S.TARGET_ID,
            "target_source": S.TARGET_SOURCE,
            "targets_until": S.TARGETS_UNTIL,
            "baseline_source": S.BASELINE_SOURCE,
        },
    )


@login_required
def stats_xlsx(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), "bureau_officer")
    response = HttpResponse(stats_workbook(S.competition_stats()), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="competition-stats.xlsx"'
    return response


def stats_workbook(stats: S.CompetitionStats) -> bytes:
    """Four sheets of plain values (no live formulas): targets, contests and projects by level, town
    contests per town, baselines."""
    book = new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("目标对照")
    sheet.append([_("指标"), _("年度目标"), *stats.years, _("达标年数")])
    for row in stats.targets:
        sheet.append(
            [str(row.target.label), row.target.per_year, *[c.value for c in row.cells], row.years_met]
        )
    sheet.append([])
    sheet.append([_("依据"), f"{S.TARGET_ID} · {S.TARGET_SOURCE}"])

    levels = book.create_sheet(_("按级别"))
    levels.append([_("竞赛级别"), _("类别"), *stats.years])
    for code, label in stats.levels:
        levels.append([str(label), _("竞赛"), *[r.contests.get(code, 0) for r in stats.rows]])
        levels.append([str(label), _("项目"), *[r.projects.get(code, 0) for r in stats.rows]])
    levels.append([_("合计"), _("竞赛"), *[r.contests_total for r in stats.rows]])
    levels.append([_("合计"), _("项目"), *[r.projects_total for r in stats.rows]])

    towns = book.create_sheet(_("镇街竞赛"))
    towns.append([_("镇街"), *stats.years])
    for town in stats.towns:
        towns.append([town.town, *town.counts])
    towns.append([_("未举办竞赛的镇街数"), *[len(r.towns_without) for r in stats.rows]])

    baselines = book.create_sheet(_("基线"))
    baselines.append([_("指标"), _("基线"), _("记录数"), _("依据")])
    for b in stats.baselines:
        baselines.append([str(b.label), b.catalog, b.actual, S.BASELINE_SOURCE])
    return workbook_bytes(book)


urlpatterns = [
    path("stats/", stats_page, name="stats"),
    path("stats/xlsx/", stats_xlsx, name="stats_xlsx"),
]
