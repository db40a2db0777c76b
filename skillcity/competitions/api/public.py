"""/api/v1/competitions/: the public calendar and published results, a worker's own contests, and the
bureau's statistics — the same selectors as the pages, so the numbers agree."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from skillcity.competitions.models import Level
from skillcity.competitions.selectors import people
from skillcity.competitions.selectors import stats as S
from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import Id, Year
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.money import money_str

router = Router(tags=["competitions"])


class CalendarQuery(Schema):
    year: Year | None = None
    level: str = ""
    town: Id | None = None


def _level(code: str) -> str:
    return str(dict(Level.choices).get(code, ""))


@router.get("/public/calendar", auth=None, summary="Published competitions with their projects")
def calendar(request: HttpRequest, query: Query[CalendarQuery]) -> list[dict[str, Any]]:
    if query.level and query.level not in Level.values:
        raise DomainError("invalid_level", "竞赛级别不存在", fields={"level": ["竞赛级别不存在"]}, status=422)
    competitions = people.calendar_competitions(year=query.year, level=query.level, town=query.town)
    return [
        {
            "id": c.pk,
            "name": c.name,
            "year": c.year,
            "level": c.level,
            "level_name": _level(c.level),
            "starts_on": c.starts_on.isoformat(),
            "ends_on": c.ends_on.isoformat(),
            "organiser": c.organiser_label,
            "town": c.town.name if c.town else None,
            "external": c.external,
            "projects": [
                {
                    "id": p.pk,
                    "name": p.name,
                    "occupation": p.occupation.name,
                    "direction": p.direction,
                    "level": p.level,
                    "starts_on": p.starts_on.isoformat(),
                    "ends_on": p.ends_on.isoformat(),
                    "venue": p.venue,
                    "results_published": people.project_is_published(p),
                }
                for p in c.projects.all()
            ],
        }
        for c in competitions
    ]


@router.get("/public/results/{project_id}", auth=None, summary="A project's published results (names masked)")
def results(request: HttpRequest, project_id: Id) -> dict[str, Any]:
    project = people.published_project(project_id)
    if project is None:
        raise NotFound("该项目的成绩尚未公布")
    return {
        "project": {"id": project.pk, "name": project.name, "competition": project.competition.name},
        "results": [
            {
                "rank": r.rank,
                "players": r.players,
                "team_name": r.team_name,
                "unit": r.unit,
                "total": None if r.total_score is None else str(r.total_score),
                "award": r.award,
                "award_name": r.award_label,
                "passed": r.passed,
            }
            for r in people.public_results(project)
        ],
    }


@router.get("/mine", summary="The worker's own contests, published results, titles and prizes")
def mine(request: HttpRequest) -> dict[str, Any]:
    user = acting_user(request)
    require_role(user, "worker")
    page = people.player_page(user.worker) if user.worker is not None else people.PlayerPage([], [], [])
    return {
        "entries": [
            {
                "competition": e.competition.name,
                "level": e.competition.level,
                "year": e.competition.year,
                "project_id": e.project.pk,
                "project": e.project.name,
                "unit": e.entry.unit.name,
                "result": None
                if e.result is None
                else {
                    "rank": e.result.rank,
                    "total": None if e.result.total is None else str(e.result.total),
                    "award": e.result.award,
                    "award_name": str(e.result.get_award_display()) if e.result.award else "",
                    "passed": e.result.passed,
                },
            }
            for e in page.entries
        ],
        "titles": [
            {
                "number": t.number,
                "honour": t.honour,
                "honour_name": str(t.get_honour_display()),
                "awarded_on": t.awarded_on.isoformat(),
                "status": t.status,
            }
            for t in page.titles
        ],
        "prizes": [
            {
                "application_id": a.pk,
                "rule_id": a.rule_id,
                "state": a.state,
                "state_name": str(a.get_state_display()),
                "amount": money_str(a.decided_amount or a.requested_amount),
            }
            for a in page.prizes
        ],
    }


@router.get(
    "/stats", summary="Bureau: contests, projects, town contests and titles per year against T-COMPETITIONS"
)
def stats(request: HttpRequest) -> dict[str, Any]:
    require_role(acting_user(request), "bureau_officer")
    return S.stats_as_dict(S.competition_stats())
