"""/api/v1/platforms/standards…: training and evaluation standards — a developer files the project and
submits it for acceptance; the bureau accepts, builds the panel (a member from the developer's
organisation refused), records each member's score and certifies (PLT-STANDARD through grants);
/api/v1/platforms/public/standards lists the certified standards without signing in."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import Id, IsoDate, Score, money_type
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.schemas import InputSchema
from skillcity.grants.services.records import standing_by_source
from skillcity.platforms.models.standards import Standard, StandardPanelMember
from skillcity.platforms.selectors import standards as selectors
from skillcity.platforms.services import standards as services
from skillcity.registry.models import Occupation, Organisation, Worker

router = Router(tags=["platforms"])


class StandardFileIn(InputSchema):
    developer_id: Id | None = None  # the bureau files for a developer; a developer's user for its own
    occupation_code: Annotated[str, Field(max_length=20)]
    kind: Annotated[str, Field(max_length=16)]
    title: Annotated[str, Field(max_length=200)]
    plan: Annotated[str, Field(max_length=4000)]
    planned_completion: IsoDate
    requested: money_type(services.REQUESTED_MAX, low=Decimal("0.01"))  # type: ignore[valid-type]


class StandardAcceptIn(InputSchema):
    passed: bool
    note: Annotated[str, Field(max_length=500)] = ""


class StandardPanelIn(InputSchema):
    worker_id: Id


class StandardScoreIn(InputSchema):
    score: Score
    comment: Annotated[str, Field(max_length=500)] = ""


class StandardCertifyIn(InputSchema):
    note: Annotated[str, Field(max_length=500)] = ""
    certified_on: IsoDate | None = None  # the certification's date; today when left out


class StandardListQuery(Schema):
    state: str = ""


class StandardMemberOut(Schema):
    id: int
    worker: str
    organisation: str | None
    score: Decimal | None
    comment: str


class StandardGrantOut(Schema):
    grant_id: int
    source: str
    state: str
    state_label: str
    decided_amount: Decimal | None


class StandardOut(Schema):
    id: int
    number: str
    title: str
    kind: str
    kind_label: str
    developer: str
    occupation_code: str
    occupation: str
    plan: str
    planned_completion: datetime.date
    requested: Decimal
    year: int
    state: str
    state_label: str
    note: str
    accepted_on: datetime.date | None
    certified_on: datetime.date | None
    panel: list[StandardMemberOut]
    panel_mean: Decimal | None
    grant: StandardGrantOut | None


class StandardPublicOut(Schema):
    id: int
    number: str
    title: str
    kind_label: str
    developer: str
    occupation_code: str
    occupation: str
    certified_on: datetime.date | None


class StandardYearOut(Schema):
    year: int
    filed: int
    certified: int
    plan: int
    cumulative: int
    cumulative_plan: int


class StandardProgressOut(Schema):
    baseline_target: int
    baseline: int
    per_year: int
    total: int
    in_progress: int
    rows: list[StandardYearOut]


def _grant(standard: Standard, grants: dict[str, Any] | None = None) -> dict[str, Any] | None:
    g = services.grant_of(standard) if grants is None else grants.get(services.source_key(standard))
    if g is None:
        return None
    return {
        "grant_id": g.pk,
        "source": services.standard_label(standard),
        "state": g.state,
        "state_label": g.get_state_display(),
        "decided_amount": g.decided_amount,
    }


def _out(s: Standard, grants: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": s.pk,
        "number": s.number,
        "title": s.title,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "developer": s.developer.name,
        "occupation_code": s.occupation.code,
        "occupation": s.occupation.name,
        "plan": s.plan,
        "planned_completion": s.planned_completion,
        "requested": s.requested,
        "year": s.year,
        "state": s.state,
        "state_label": s.get_state_display(),
        "note": s.note,
        "accepted_on": s.accepted_on,
        "certified_on": s.certified_on,
        "panel": [
            {
                "id": m.pk,
                "worker": m.worker.name,
                "organisation": m.worker.employer.name if m.worker.employer else None,
                "score": m.score,
                "comment": m.comment,
            }
            for m in s.panel.all()
        ],
        "panel_mean": services.panel_mean(s),
        "grant": _grant(s, grants),
    }


def _standard(request: HttpRequest, pk: int) -> Standard:
    user = acting_user(request)
    return get_for(user, selectors.standards_for(user), pk)


@router.get("/standards", response=list[StandardOut], summary="Standards the caller may see")
def standard_list(request: HttpRequest, query: Query[StandardListQuery]) -> list[dict[str, Any]]:
    rows = selectors.standards_for(acting_user(request), query.state).prefetch_related(
        "panel__worker__employer"
    )
    standards = list(rows[:500])
    grants = standing_by_source([services.source_key(s) for s in standards])  # one query for the page
    return [_out(s, grants) for s in standards]


@router.post(
    "/standards", response={201: StandardOut}, summary="A developer files a standard's development project"
)
def standard_file(request: HttpRequest, body: StandardFileIn) -> tuple[int, dict[str, Any]]:
    user = acting_user(request)
    require_role(user, "organisation_user", "bureau_officer")
    if user.role == "organisation_user" and not user.is_superuser:
        developer = user.organisation
    else:
        developer = Organisation.objects.filter(pk=body.developer_id or 0).first()
    if developer is None:
        raise DomainError("developer_required", _("请指定开发单位"), {"developer_id": _("请指定开发单位")})
    occupation = Occupation.objects.filter(code=body.occupation_code.strip()).first()
    if occupation is None:
        raise DomainError("bad_occupation", _("未知的职业编码"), {"occupation_code": _("未知的职业编码")})
    standard = services.standard_file(
        actor=user,
        developer=developer,
        occupation=occupation,
        kind=body.kind,
        title=body.title,
        plan=body.plan,
        planned_completion=body.planned_completion,
        requested=body.requested,
    )
    return 201, _out(standard)


@router.get(
    "/standards/progress", response=StandardProgressOut, summary="Certified standards against 117 + 5 a year"
)
def standard_progress(request: HttpRequest) -> dict[str, Any]:
    require_role(acting_user(request), "bureau_officer")
    p = selectors.progress()
    return {**p, "rows": [r.__dict__ for r in p["rows"]]}


@router.get("/standards/{pk}", response=StandardOut, summary="One standard with its panel and grant")
def standard_detail(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return _out(_standard(request, pk))


@router.post(
    "/standards/{pk}/submit", response=StandardOut, summary="The developer submits it for acceptance"
)
def standard_submit(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return _out(services.standard_submit(actor=acting_user(request), standard=_standard(request, pk)))


@router.post(
    "/standards/{pk}/accept", response=StandardOut, summary="Acceptance: pass, or return with a reason"
)
def standard_accept(request: HttpRequest, pk: Id, body: StandardAcceptIn) -> dict[str, Any]:
    s = services.standard_accept(
        actor=acting_user(request), standard=_standard(request, pk), passed=body.passed, note=body.note
    )
    return _out(s)


@router.post(
    "/standards/{pk}/panel", response={201: StandardOut}, summary="Add a panel member (a registry worker)"
)
def standard_panel_add(request: HttpRequest, pk: Id, body: StandardPanelIn) -> tuple[int, dict[str, Any]]:
    user = acting_user(request)
    standard = _standard(request, pk)
    worker = Worker.objects.filter(pk=body.worker_id).first()
    if worker is None:
        raise DomainError("unknown_worker", _("没有找到该劳动者"), {"worker_id": _("没有找到该劳动者")})
    services.standard_panel_add(actor=user, standard=standard, worker=worker)
    return 201, _out(standard)


@router.post(
    "/standards/{pk}/panel/{member_id}/score", response=StandardOut, summary="Record a member's score"
)
def standard_panel_score(
    request: HttpRequest, pk: Id, member_id: Id, body: StandardScoreIn
) -> dict[str, Any]:
    user = acting_user(request)
    standard = _standard(request, pk)
    member = StandardPanelMember.objects.filter(pk=member_id, standard=standard).first()
    if member is None:
        raise NotFound(_("专家组成员不存在"))
    services.standard_panel_score(actor=user, member=member, score=body.score, comment=body.comment)
    return _out(standard)


@router.post("/standards/{pk}/certify", response=StandardOut, summary="Certify from the panel's scores")
def standard_certify(request: HttpRequest, pk: Id, body: StandardCertifyIn) -> dict[str, Any]:
    standard = _standard(request, pk)
    services.standard_certify(
        actor=acting_user(request), standard=standard, note=body.note, day=body.certified_on
    )
    standard.refresh_from_db()
    return _out(standard)


@router.get(
    "/public/standards", auth=None, response=list[StandardPublicOut], summary="Certified standards (public)"
)
def standard_public(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": s.pk,
            "number": s.number,
            "title": s.title,
            "kind_label": s.get_kind_display(),
            "developer": s.developer.name,
            "occupation_code": s.occupation.code,
            "occupation": s.occupation.name,
            "certified_on": s.certified_on,
        }
        for s in selectors.certified()[:1000]
    ]
