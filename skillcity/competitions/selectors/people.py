"""Reads for players and the public: the competition calendar, published results, a worker's contests.

A result is *published* once the project's chief judge has confirmed it (`ContestProject.State.CONFIRMED`,
issue item 2) or, for an external (provincial, national) competition, once it has been imported: those
results were published by their organiser before Dongguan recorded them. Nothing else is shown to the
public or to the player: a computed but unconfirmed rank can still change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, When

from skillcity.competitions.models import (
    Competition,
    ContestProject,
    Entry,
    EntryPlayer,
    Level,
    Result,
    Title,
)
from skillcity.core.masking import mask_name
from skillcity.registry.models import Worker

# Competitions the public sees: published and closed ones (a draft is the organiser's own).
PUBLIC_STATES = (Competition.State.PUBLISHED, Competition.State.CLOSED)
CALENDAR_FIRST_YEAR = 2021  # D003's baselines count from 2021 ("34 city contests since 2021")


def published_results_q(path: str = "") -> Q:
    """Projects (path "") or results (path "project__") whose results the public and players may see."""
    return Q(**{f"{path}state": ContestProject.State.CONFIRMED}) | Q(**{f"{path}competition__external": True})


def project_is_published(project: ContestProject) -> bool:
    return project.state == ContestProject.State.CONFIRMED or project.competition.external


# --- the calendar ---------------------------------------------------------------------------------


def calendar_competitions(
    *, year: int | None = None, level: str = "", town: int | None = None
) -> QuerySet[Competition]:
    """Published competitions, newest first, each with its projects (and which have published results)."""
    projects = ContestProject.objects.select_related("occupation", "host_unit").order_by("starts_on", "id")
    qs = (
        Competition.objects.filter(state__in=PUBLIC_STATES)
        .select_related("organiser", "town")
        .prefetch_related(Prefetch("projects", queryset=projects))
        # A year's city and provincial contests first, then the town contests (33 a year).
        .annotate(is_town=Case(When(level=Level.TOWN, then=1), default=0, output_field=IntegerField()))
        .order_by("-year", "is_town", "starts_on", "id")
    )
    if year:
        qs = qs.filter(year=year)
    if level:
        qs = qs.filter(level=level)
    if town:
        qs = qs.filter(town_id=town)
    return qs


def calendar_years() -> list[int]:
    years = Competition.objects.filter(state__in=PUBLIC_STATES).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


# --- published results ----------------------------------------------------------------------------


@dataclass
class PublicResult:
    rank: int | None
    players: list[str]  # masked names (公示: a person's name masked, PIPL)
    team_name: str
    unit: str  # an organisation's name is published in full
    total_score: Decimal | None  # the marks' total (a score, not money)
    award: str
    award_label: str
    passed: bool


def published_project(pk: Any) -> ContestProject | None:
    """The project if its results are published (else None: the page answers "not found")."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (
        ContestProject.objects.select_related("competition", "occupation", "host_unit")
        .filter(published_results_q(), pk=pk, competition__state__in=PUBLIC_STATES)
        .first()
    )


def public_results(project: ContestProject) -> list[PublicResult]:
    """The published results of a project in rank order, as the public notice shows people: masked names,
    the unit in full, no ID numbers."""
    players = EntryPlayer.objects.select_related("worker").order_by("id")
    results = (
        Result.objects.filter(project=project)
        .select_related("entry__unit")
        .prefetch_related(Prefetch("entry__players", queryset=players))
        .order_by("rank", "id")
    )
    return [
        PublicResult(
            rank=r.rank,
            players=[mask_name(p.worker.name) for p in r.entry.players.all()],
            team_name=r.entry.team_name,
            unit=r.entry.unit.name,
            total_score=r.total,
            award=r.award,
            award_label=str(r.get_award_display()) if r.award else "",
            passed=r.passed,
        )
        for r in results
    ]


# --- a player's own page --------------------------------------------------------------------------


@dataclass
class PlayerEntry:
    entry: Entry
    project: ContestProject
    competition: Competition
    result: Result | None  # only a published result
    teammates: list[str] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        """The published result's total of marks (a score, not money)."""
        return self.result.total if self.result is not None else None


@dataclass
class PlayerPage:
    entries: list[PlayerEntry]
    titles: list[Title]
    prizes: list[Any]  # grants.Application, the worker the payee, rule CMP-*

    @property
    def published_count(self) -> int:
        return sum(1 for e in self.entries if e.result is not None)

    @property
    def award_count(self) -> int:
        return sum(1 for e in self.entries if e.result is not None and e.result.award)


def titles_for(worker: Worker) -> QuerySet[Title]:
    """The worker's titles, newest first. (The titles part adds `selectors.titles.titles_for`; this one
    reads the same rows until then.)"""
    return Title.objects.filter(worker=worker).order_by("-awarded_on", "-id")


def prizes_for(worker: Worker) -> QuerySet[Any]:
    """Grants applications that pay this worker under a competition rule (CMP-*), newest first."""
    from skillcity.grants.models import Application

    return (
        Application.objects.filter(worker=worker, rule_id__startswith="CMP-")
        .select_related("town")
        .order_by("-event_date", "-id")
    )


def player_page(worker: Worker) -> PlayerPage:
    """Everything "我的竞赛" shows a worker: their entries (a result only once published), titles, prizes."""
    mine = (
        EntryPlayer.objects.filter(worker=worker)
        .select_related(
            "entry__unit",
            "entry__project__competition",
            "entry__project__occupation",
        )
        .prefetch_related(Prefetch("entry__players", queryset=EntryPlayer.objects.select_related("worker")))
        .order_by("-entry__project__competition__year", "-entry__project__starts_on", "-id")
    )
    entry_ids = [p.entry_id for p in mine]
    results = Result.objects.filter(published_results_q("project__"), entry_id__in=entry_ids)
    published = {r.entry_id: r for r in results} if entry_ids else {}
    entries = []
    for player in mine:
        entry = player.entry
        entries.append(
            PlayerEntry(
                entry=entry,
                project=entry.project,
                competition=entry.project.competition,
                result=published.get(entry.pk),
                teammates=[p.worker.name for p in entry.players.all() if p.worker_id != worker.pk],
            )
        )
    return PlayerPage(entries=entries, titles=list(titles_for(worker)), prizes=list(prizes_for(worker)))


LEVEL_LABELS = dict(Level.choices)
