"""/api/v1/competitions/: competitions, projects and entries (organisers and units); the marking scheme
and judges are in api/schemes.py. Lookups through the selectors; writes through services.contests (the
same permissions as the pages)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from skillcity.competitions.models import Competition, ContestProject, Entry
from skillcity.competitions.selectors.contests import (
    competition_for_organiser,
    competitions_visible,
    entries_of_unit,
    open_project,
    project_for_organiser,
    projects_open_for_registration,
)
from skillcity.competitions.services import contests
from skillcity.core.access import acting_user, get_for
from skillcity.core.bounds import Id, IsoDate, Level, Limit, Year
from skillcity.core.errors import DomainError
from skillcity.core.masking import mask_id_number
from skillcity.core.schemas import InputSchema
from skillcity.registry.models import Occupation, Organisation, Town, Worker

router = Router(tags=["competitions"])


# --- competitions --------------------------------------------------------------------------------


class CompetitionOut(Schema):
    id: int
    name: str
    level: str
    level_name: str
    year: int
    organiser_id: int | None
    organiser: str
    town_id: int | None
    feeds_id: int | None
    external: bool
    starts_on: str
    ends_on: str
    state: str
    state_name: str
    gold_places: int
    silver_places: int
    bronze_places: int
    excellence_places: int
    pass_mark: Decimal
    title_quota: int | None
    promotion_rule: dict[str, Any]

    @staticmethod
    def resolve_level_name(obj: Competition) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_organiser(obj: Competition) -> str:
        return obj.organiser_label

    @staticmethod
    def resolve_state_name(obj: Competition) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_starts_on(obj: Competition) -> str:
        return obj.starts_on.isoformat()

    @staticmethod
    def resolve_ends_on(obj: Competition) -> str:
        return obj.ends_on.isoformat()


class BandIn(InputSchema):
    from_: int = Field(alias="from", ge=1, le=contests.RANK_MAX)
    to: int = Field(ge=1, le=contests.RANK_MAX)
    level: Level


class PromotionRuleIn(InputSchema):
    bands: list[BandIn] = Field(default_factory=list, max_length=20)
    pass_level: Level | None = None


class CompetitionIn(InputSchema):
    name: str = Field(max_length=200)
    level: str = Field(
        description="city_class1 | city_class2 | city_selection | provincial_class1 | … | town"
    )
    year: Year
    starts_on: IsoDate
    ends_on: IsoDate
    organiser_id: Id | None = None
    organiser_name: str = Field("", max_length=200)
    town_id: Id | None = None
    feeds_id: Id | None = Field(
        None, description="city_selection: the provincial-or-higher competition it feeds"
    )
    external: bool = False
    gold_places: int = Field(1, ge=0, le=contests.PLACES_MAX)
    silver_places: int = Field(2, ge=0, le=contests.PLACES_MAX)
    bronze_places: int = Field(3, ge=0, le=contests.PLACES_MAX)
    excellence_places: int = Field(4, ge=0, le=contests.PLACES_MAX)
    pass_mark: Decimal = Field(Decimal("60"), ge=0, le=100, decimal_places=2)
    title_quota: int | None = Field(None, ge=0, le=contests.TITLE_QUOTA_MAX)
    promotion_rule: PromotionRuleIn | None = None


@router.get("/competitions", response=list[CompetitionOut], summary="Competitions the caller may see")
def list_competitions(
    request: HttpRequest, year: Year | None = None, level: str = "", limit: Limit = 100
) -> Any:
    competitions = competitions_visible(acting_user(request))
    if year:
        competitions = competitions.filter(year=year)
    if level:
        competitions = competitions.filter(level=level)
    return competitions[:limit]


def _organisation(user: Any, pk: int | None, field: str) -> Organisation | None:
    if pk is None:
        return None
    organisation = Organisation.objects.filter(pk=pk).first()
    if organisation is None:
        raise DomainError("not_found", "单位不存在", {field: "单位不存在"})
    return organisation


@router.post("/competitions", response={201: CompetitionOut}, summary="Create a competition (draft)")
def create_competition(request: HttpRequest, payload: CompetitionIn) -> Any:
    user = acting_user(request)
    town = Town.objects.filter(pk=payload.town_id).first() if payload.town_id else None
    if payload.town_id and town is None:
        raise DomainError("not_found", "镇街不存在", {"town_id": "镇街不存在"})
    feeds = None
    if payload.feeds_id:
        feeds = Competition.objects.filter(pk=payload.feeds_id).first()
        if feeds is None:
            raise DomainError("not_found", "选拔输送的竞赛不存在", {"feeds_id": "竞赛不存在"})
    rule = None
    if payload.promotion_rule is not None:
        rule = {
            "bands": [{"from": b.from_, "to": b.to, "level": b.level} for b in payload.promotion_rule.bands],
            "pass_level": payload.promotion_rule.pass_level,
        }
    competition = contests.competition_create(
        actor=user,
        name=payload.name,
        level=payload.level,
        year=payload.year,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        organiser=_organisation(user, payload.organiser_id, "organiser_id"),
        organiser_name=payload.organiser_name,
        town=town,
        feeds=feeds,
        external=payload.external,
        gold_places=payload.gold_places,
        silver_places=payload.silver_places,
        bronze_places=payload.bronze_places,
        excellence_places=payload.excellence_places,
        pass_mark=payload.pass_mark,
        title_quota=payload.title_quota,
        promotion_rule=rule,
    )
    return 201, competition


@router.get("/competitions/{pk}", response=CompetitionOut)
def get_competition(request: HttpRequest, pk: Id) -> Any:
    return get_for(acting_user(request), competitions_visible(acting_user(request)), pk)


@router.post("/competitions/{pk}/publish", response=CompetitionOut)
def publish_competition(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    return contests.competition_publish(competition=competition_for_organiser(user, pk), actor=user)


# --- projects ------------------------------------------------------------------------------------


class ProjectOut(Schema):
    id: int
    competition_id: int
    competition: str = Field(alias="competition.name")
    name: str
    occupation_code: str = Field(alias="occupation.code")
    occupation: str = Field(alias="occupation.name")
    direction: str
    level: int
    host_unit_id: int | None
    starts_on: str
    ends_on: str
    venue: str
    team_size: int
    state: str
    state_name: str

    @staticmethod
    def resolve_state_name(obj: ContestProject) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_starts_on(obj: ContestProject) -> str:
        return obj.starts_on.isoformat()

    @staticmethod
    def resolve_ends_on(obj: ContestProject) -> str:
        return obj.ends_on.isoformat()


class ProjectIn(InputSchema):
    name: str = Field(max_length=200)
    occupation: str = Field(description="occupation code", max_length=20)
    level: Level
    starts_on: IsoDate
    ends_on: IsoDate
    direction: str = Field("", max_length=100)
    host_unit_id: Id | None = None
    venue: str = Field("", max_length=200)
    team_size: int = Field(1, ge=1, le=contests.TEAM_SIZE_MAX)


@router.get("/competitions/{pk}/projects", response=list[ProjectOut])
def list_projects(request: HttpRequest, pk: Id) -> Any:
    competition = competition_for_organiser(acting_user(request), pk)
    return competition.projects.select_related("competition", "occupation").order_by("starts_on", "id")


@router.post("/competitions/{pk}/projects", response={201: ProjectOut})
def create_project(request: HttpRequest, pk: Id, payload: ProjectIn) -> Any:
    user = acting_user(request)
    competition = competition_for_organiser(user, pk)
    occupation = Occupation.objects.filter(code=payload.occupation).first()
    if occupation is None:
        raise DomainError("not_found", "职业代码不存在", {"occupation": "职业代码不存在"})
    project = contests.project_create(
        competition=competition,
        actor=user,
        name=payload.name,
        occupation=occupation,
        level=payload.level,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        direction=payload.direction,
        host_unit=_organisation(user, payload.host_unit_id, "host_unit_id"),
        venue=payload.venue,
        team_size=payload.team_size,
    )
    return 201, project


@router.get("/projects/open", response=list[ProjectOut], summary="Projects open for registration")
def list_open_projects(request: HttpRequest, limit: Limit = 100) -> Any:
    acting_user(request)
    return projects_open_for_registration()[:limit]


@router.get("/projects/{pk}", response=ProjectOut)
def get_project(request: HttpRequest, pk: Id) -> Any:
    return project_for_organiser(acting_user(request), pk)


# --- entries -------------------------------------------------------------------------------------


class PlayerOut(Schema):
    worker_id: int
    name: str = Field(alias="worker.name")
    id_number_masked: str

    @staticmethod
    def resolve_id_number_masked(obj: Any) -> str:
        return mask_id_number(obj.worker.id_number)


class EntryOut(Schema):
    id: int
    project_id: int
    unit_id: int
    unit: str = Field(alias="unit.name")
    team_name: str
    bib: str
    coach_id: int | None
    coach: str
    players: list[PlayerOut]

    @staticmethod
    def resolve_coach(obj: Entry) -> str:
        return obj.coach_label

    @staticmethod
    def resolve_players(obj: Entry) -> list[Any]:
        # Prefetched by the list endpoints (players__worker): one query for the page, not one per entry.
        return list(obj.players.all())


class EntryIn(InputSchema):
    unit_id: Id
    worker_ids: list[Id] = Field(min_length=1, max_length=contests.TEAM_SIZE_MAX)
    team_name: str = Field("", max_length=100)
    coach_id: Id | None = None
    coach_name: str = Field("", max_length=50)


@router.get("/projects/{pk}/entries", response=list[EntryOut], summary="A project's entries (organiser)")
def list_entries(request: HttpRequest, pk: Id) -> Any:
    project = project_for_organiser(acting_user(request), pk)
    return project.entries.select_related("unit", "coach").prefetch_related("players__worker").order_by("id")


@router.get("/entries", response=list[EntryOut], summary="The caller's unit's entries")
def my_entries(request: HttpRequest, limit: Limit = 100) -> Any:
    return entries_of_unit(acting_user(request)).prefetch_related("players__worker")[:limit]


@router.post("/projects/{pk}/entries", response={201: EntryOut}, summary="Register a player or team")
def register_entry(request: HttpRequest, pk: Id, payload: EntryIn) -> Any:
    user = acting_user(request)
    project = open_project(pk)
    unit = get_for(user, Organisation.objects.all(), payload.unit_id)
    workers = [get_for(user, Worker.objects.all(), wid) for wid in payload.worker_ids]
    coach = get_for(user, Worker.objects.all(), payload.coach_id) if payload.coach_id else None
    entry = contests.entry_register(
        project=project,
        actor=user,
        unit=unit,
        workers=workers,
        team_name=payload.team_name,
        coach=coach,
        coach_name=payload.coach_name,
    )
    return 201, entry
