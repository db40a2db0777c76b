"""/api/v1/platforms/: the expert pool (list, coverage, import, the audited full phone, conflicts), draws
(make, read, replay check, decline), an expert's own assignments, and the draw wired into competition
judges, leading-talent panels, standards, studio reviews and grant reviews. The same permissions as the pages; writes through services.experts."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, TypeVar

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile

from skillcity.competitions.selectors.contests import project_for_organiser
from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import ID_MAX, Id, Limit
from skillcity.core.errors import NotFound
from skillcity.core.schemas import InputSchema
from skillcity.core.uploads import read_upload
from skillcity.platforms.models.experts import Expert, ExpertDrawMember
from skillcity.platforms.selectors import experts as selectors
from skillcity.platforms.services import experts as services
from skillcity.platforms.services.experts.draws import members_of
from skillcity.registry.models import Organisation
from skillcity.talents.models.leading import LeadingCall

router = Router(tags=["platforms"])
T = TypeVar("T")
BUREAU = "bureau_officer"

Seed = Annotated[
    int, Field(ge=0, le=services.SEED_MAX, description="the draw's seed; drawn at random when absent")
]
DrawSize = Annotated[int, Field(ge=1, le=services.SIZE_MAX)]
Offset = Annotated[int, Field(ge=0, le=ID_MAX)]


class ExpertOut(Schema):
    id: int
    worker_id: int
    name: str
    sector: str
    sector_label: str
    title: str
    organisation_id: int
    organisation: str
    occupations: list[str]
    phone_masked: str

    @staticmethod
    def resolve_name(obj: Expert) -> str:
        return obj.worker.name

    @staticmethod
    def resolve_sector_label(obj: Expert) -> str:
        return str(obj.get_sector_display())

    @staticmethod
    def resolve_organisation(obj: Expert) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_occupations(obj: Expert) -> list[str]:
        return [o.name for o in obj.occupations.all()]


class ExpertCoverageRowOut(Schema):
    sector: str
    label: str
    count: int


class ExpertCoverageOut(Schema):
    total: int
    target: int
    sectors: int
    sectors_covered: int
    rows: list[ExpertCoverageRowOut]


class ExpertImportErrorOut(Schema):
    row: int
    column: str
    reason: str


class ExpertImportOut(Schema):
    created: int
    errors: list[ExpertImportErrorOut]


class ExpertPhoneOut(Schema):
    phone: str


class ExpertConflictIn(InputSchema):
    organisation_id: Id


class ExpertDrawMemberOut(Schema):
    id: int
    position: int
    expert_id: int
    name: str
    sector: str
    state: str
    state_label: str
    decline_reason: str
    declined_at: datetime.datetime | None
    replaces_id: int | None
    replacement_seed: int | None

    @staticmethod
    def resolve_name(obj: ExpertDrawMember) -> str:
        return obj.expert.worker.name

    @staticmethod
    def resolve_state_label(obj: ExpertDrawMember) -> str:
        return str(obj.get_state_display())


class ExpertDrawOut(Schema):
    id: int
    purpose: str
    purpose_label: str
    subject_key: str
    subject_label: str
    size: int
    sectors: list[str]
    excluded_organisations: list[int]
    excluded_workers: list[int]
    seed: int
    candidates: dict[str, list[int]]
    drawn_at: datetime.datetime
    members: list[ExpertDrawMemberOut]

    @staticmethod
    def resolve_purpose_label(obj: Any) -> str:
        return str(obj.get_purpose_display())

    @staticmethod
    def resolve_members(obj: Any) -> list[ExpertDrawMember]:
        return list(selectors.draw_members(obj))


class ExpertDrawSummaryOut(Schema):
    id: int
    purpose: str
    subject_key: str
    subject_label: str
    size: int
    seed: int
    drawn_at: datetime.datetime


class ExpertDrawIn(InputSchema):
    purpose: str = Field(
        description="grant_review | leading_panel | competition_judges | standard_acceptance | studio_review"
    )
    subject_key: str = Field(min_length=1, max_length=100)
    subject_label: str = Field(default="", max_length=200)
    size: DrawSize
    sectors: list[str] = Field(default_factory=list, max_length=10)
    exclude_organisations: list[Id] = Field(default_factory=list, max_length=1000)
    seed: Seed | None = None


class ExpertPanelDrawIn(InputSchema):
    size: DrawSize
    sectors: list[str] = Field(default_factory=list, max_length=10)
    seed: Seed | None = None


class ExpertReplayOut(Schema):
    matches: bool
    recorded: list[int]
    replayed: list[int]


class ExpertDeclineIn(InputSchema):
    reason: str = Field(min_length=1, max_length=300)
    seed: Seed | None = None


class ExpertDeclineOut(Schema):
    declined: ExpertDrawMemberOut
    replacement: ExpertDrawMemberOut | None


class ExpertAssignmentOut(Schema):
    id: int
    draw_id: int
    purpose_label: str
    subject_label: str
    drawn_at: datetime.datetime
    state: str
    state_label: str
    decline_reason: str

    @staticmethod
    def resolve_purpose_label(obj: ExpertDrawMember) -> str:
        return str(obj.draw.get_purpose_display())

    @staticmethod
    def resolve_subject_label(obj: ExpertDrawMember) -> str:
        return obj.draw.subject_label

    @staticmethod
    def resolve_drawn_at(obj: ExpertDrawMember) -> datetime.datetime:
        return obj.draw.drawn_at

    @staticmethod
    def resolve_state_label(obj: ExpertDrawMember) -> str:
        return str(obj.get_state_display())


def _bureau(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, BUREAU)
    return user


@router.get("/experts", response=list[ExpertOut], summary="The expert pool (phones masked)")
def list_experts(
    request: HttpRequest, sector: str = "", q: str = "", limit: Limit = 100, offset: Offset = 0
) -> Any:
    _bureau(request)
    return selectors.experts_for_list(sector=sector, query=q.strip()[:50])[offset : offset + limit]


@router.get("/experts/coverage", response=ExpertCoverageOut, summary="Pool size and experts per sector")
def expert_coverage(request: HttpRequest) -> Any:
    _bureau(request)
    return selectors.coverage()


@router.post("/experts/import", response=ExpertImportOut, summary="Import experts (.xlsx; all rows or none)")
def import_experts(request: HttpRequest, file: File[UploadedFile]) -> Any:
    user = _bureau(request)
    content = read_upload(file, label=_("导入文件"))
    result = services.experts_import(actor=user, filename=file.name or "", content=content)
    return {"created": result.created, "errors": [vars(e) for e in result.errors]}


@router.get("/experts/{pk}", response=ExpertOut)
def get_expert(request: HttpRequest, pk: Id) -> Any:
    return selectors.expert_for(acting_user(request), pk)


@router.post("/experts/{pk}/phone", response=ExpertPhoneOut, summary="The full phone (audited)")
def expert_phone(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    expert = selectors.expert_for(user, pk)
    return {"phone": services.expert_phone_view(actor=user, expert=expert)}


@router.post("/experts/{pk}/conflicts", response=ExpertOut, summary="Declare a conflict of interest")
def declare_conflict(request: HttpRequest, pk: Id, payload: ExpertConflictIn) -> Any:
    user = acting_user(request)
    expert = selectors.expert_for(user, pk)
    organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
    return services.expert_conflict_declare(actor=user, expert=expert, organisation=organisation)


@router.get("/expert-draws", response=list[ExpertDrawSummaryOut])
def list_draws(request: HttpRequest, limit: Limit = 100, offset: Offset = 0) -> Any:
    _bureau(request)
    return selectors.draws_for_list()[offset : offset + limit]


@router.post("/expert-draws", response={201: ExpertDrawOut}, summary="Draw experts (seeded, recorded)")
def make_draw(request: HttpRequest, payload: ExpertDrawIn) -> Any:
    user = _bureau(request)
    draw = services.expert_draw(
        actor=user,
        purpose=payload.purpose,
        subject_key=payload.subject_key,
        subject_label=payload.subject_label,
        size=payload.size,
        sectors=payload.sectors,
        exclude_organisations=payload.exclude_organisations,
        seed=payload.seed,
    )
    return 201, draw


@router.get("/expert-draws/{pk}", response=ExpertDrawOut)
def get_draw(request: HttpRequest, pk: Id) -> Any:
    return selectors.draw_for(acting_user(request), pk)


@router.get("/expert-draws/{pk}/replay", response=ExpertReplayOut, summary="Replay the draw from its seed")
def replay_draw(request: HttpRequest, pk: Id) -> Any:
    draw = selectors.draw_for(acting_user(request), pk)
    recorded, replayed = members_of(draw), services.draw_replay(draw)
    return {"matches": recorded == replayed, "recorded": recorded, "replayed": replayed}


def _decline(user: Any, member: ExpertDrawMember, payload: ExpertDeclineIn) -> Any:
    replacement = services.draw_member_decline(
        actor=user, member=member, reason=payload.reason, seed=payload.seed
    )
    member.refresh_from_db()
    return {"declined": member, "replacement": replacement}


@router.post("/expert-draws/{pk}/members/{member_pk}/decline", response=ExpertDeclineOut)
def decline_member(request: HttpRequest, pk: Id, member_pk: Id, payload: ExpertDeclineIn) -> Any:
    user = acting_user(request)
    draw = selectors.draw_for(user, pk)
    member = draw.members.filter(pk=member_pk).first()
    if member is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return _decline(user, member, payload)


@router.get("/my-assignments", response=list[ExpertAssignmentOut], summary="An expert's own draws")
def my_assignments(request: HttpRequest, limit: Limit = 100) -> Any:
    return selectors.assignments_of(acting_user(request))[:limit]


@router.post("/my-assignments/{pk}/decline", response=ExpertDeclineOut, summary="Decline, with a reason")
def decline_assignment(request: HttpRequest, pk: Id, payload: ExpertDeclineIn) -> Any:
    user = acting_user(request)
    return _decline(user, selectors.assignment_of(user, pk), payload)


def _found(subject: T | None) -> T:
    if subject is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return subject


def _sizes(payload: ExpertPanelDrawIn) -> dict[str, Any]:
    return {"size": payload.size, "sectors": payload.sectors, "seed": payload.seed}


@router.post(
    "/expert-draws/competition-projects/{pk}",
    response={201: ExpertDrawOut},
    summary="Draw a contest project's judges from the pool (units that fielded players excluded)",
)
def draw_competition_judges(request: HttpRequest, pk: Id, payload: ExpertPanelDrawIn) -> Any:
    user = acting_user(request)
    project = project_for_organiser(user, pk)
    return 201, services.competition_judges_draw(actor=user, project=project, **_sizes(payload))


@router.post(
    "/expert-draws/leading-calls/{pk}",
    response={201: ExpertDrawOut},
    summary="Draw a leading-talent call's panel from the pool (applicants' units excluded)",
)
def draw_leading_panel(request: HttpRequest, pk: Id, payload: ExpertPanelDrawIn) -> Any:
    user = _bureau(request)
    call = _found(LeadingCall.objects.filter(pk=pk).first())
    return 201, services.leading_panel_draw(actor=user, call=call, **_sizes(payload))


@router.post(
    "/expert-draws/standards/{pk}",
    response={201: ExpertDrawOut},
    summary="Draw a standard's certification panel from the pool (the developer's organisation excluded)",
)
def draw_standard_panel(request: HttpRequest, pk: Id, payload: ExpertPanelDrawIn) -> Any:
    from skillcity.platforms.models.standards import Standard

    user = _bureau(request)
    standard = _found(Standard.objects.filter(pk=pk).first())
    return 201, services.standard_panel_draw(actor=user, standard=standard, **_sizes(payload))


@router.post(
    "/expert-draws/studios/{pk}",
    response={201: ExpertDrawOut},
    summary="Draw a studio application's reviewers from the pool (its enterprise and lead excluded)",
)
def draw_studio_review(request: HttpRequest, pk: Id, payload: ExpertPanelDrawIn) -> Any:
    from skillcity.platforms.models.studios import Studio

    user = _bureau(request)
    studio = _found(Studio.objects.filter(pk=pk).first())
    return 201, services.studio_review_draw(actor=user, studio=studio, **_sizes(payload))


@router.post(
    "/expert-draws/grant-applications/{pk}",
    response={201: ExpertDrawOut},
    summary="Draw a grant application's reviewers from the pool (the applicant's organisation excluded)",
)
def draw_grant_review(request: HttpRequest, pk: Id, payload: ExpertPanelDrawIn) -> Any:
    from skillcity.grants.selectors import application_for

    user = _bureau(request)
    application = application_for(user, pk)
    return 201, services.grant_review_draw(actor=user, application=application, **_sizes(payload))
