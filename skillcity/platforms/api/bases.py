"""/api/v1/platforms/bases…: school–enterprise bases — a school files with its partners, the bureau
reviews and recognises (EDU-BASE through grants against the special fund), T-BASES progress and the
fund; /api/v1/platforms/public/bases lists the recognised bases without signing in."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import Id, IsoDate
from skillcity.core.errors import DomainError
from skillcity.core.schemas import InputSchema
from skillcity.grants.services.records import standing_by_source
from skillcity.platforms.models.bases import SchoolEnterpriseBase
from skillcity.platforms.selectors import bases as selectors
from skillcity.platforms.services import bases as services
from skillcity.registry.models import Organisation

router = Router(tags=["platforms"])


class BasePartnerIn(InputSchema):
    uscc: Annotated[str, Field(min_length=18, max_length=18)]
    contribution: Annotated[str, Field(max_length=200)] = ""


class BaseApplyIn(InputSchema):
    school_id: Id | None = None  # the bureau files for a school; a school's user files for its own
    name: Annotated[str, Field(max_length=200)]
    field: Annotated[str, Field(max_length=200)]
    plan: Annotated[str, Field(max_length=4000)]
    partners: Annotated[list[BasePartnerIn], Field(min_length=1, max_length=services.PARTNERS_MAX)]


class BaseReviewIn(InputSchema):
    passed: bool
    note: Annotated[str, Field(max_length=500)] = ""


class BaseRecogniseIn(InputSchema):
    recognised_on: IsoDate | None = None  # the recognition's date; today when left out


class BaseListQuery(Schema):
    state: str = ""


class BasePartnerOut(Schema):
    enterprise: str
    uscc: str
    contribution: str


class BaseGrantOut(Schema):
    grant_id: int
    source: str
    state: str
    state_label: str
    decided_amount: Decimal | None


class BaseOut(Schema):
    id: int
    name: str
    school: str
    town: str
    field: str
    year: int
    state: str
    state_label: str
    number: str
    recognised_on: datetime.date | None
    review_note: str
    partners: list[BasePartnerOut]
    grant: BaseGrantOut | None


class BasePublicOut(Schema):
    number: str
    name: str
    school: str
    field: str
    recognised_on: datetime.date | None
    partners: list[str]


class BaseFundOut(Schema):
    name: str
    source: str
    total: Decimal
    committed: Decimal
    spent: Decimal
    remaining: Decimal
    pending: Decimal
    available: Decimal


class BaseYearOut(Schema):
    year: int
    applications: int
    approved: int
    recognised: int
    cumulative: int


class BaseProgressOut(Schema):
    target: int
    target_year: int
    recognised: int
    approved: int
    submitted: int
    percent: int
    rows: list[BaseYearOut]
    fund: BaseFundOut | None


def _grant(base: SchoolEnterpriseBase, grants: dict[str, Any] | None = None) -> dict[str, Any] | None:
    g = services.grant_of(base) if grants is None else grants.get(services.source_key(base))
    if g is None:
        return None
    return {
        "grant_id": g.pk,
        "source": services.base_label(base),
        "state": g.state,
        "state_label": g.get_state_display(),
        "decided_amount": g.decided_amount,
    }


def _out(base: SchoolEnterpriseBase, grants: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "id": base.pk,
        "name": base.name,
        "school": base.school.name,
        "town": base.school.town.name,
        "field": base.field,
        "year": base.year,
        "state": base.state,
        "state_label": base.get_state_display(),
        "number": base.number,
        "recognised_on": base.recognised_on,
        "review_note": base.review_note,
        "partners": [
            {"enterprise": p.enterprise.name, "uscc": p.enterprise.uscc, "contribution": p.contribution}
            for p in base.partners.all()
        ],
        "grant": _grant(base, grants),
    }


def _base(request: HttpRequest, pk: int) -> SchoolEnterpriseBase:
    return get_for(acting_user(request), selectors.bases_for(acting_user(request)), pk)


@router.get("/bases", response=list[BaseOut], summary="School–enterprise bases the caller may see")
def base_list(request: HttpRequest, query: Query[BaseListQuery]) -> list[dict[str, Any]]:
    user = acting_user(request)
    bases = list(selectors.bases_for(user, query.state).prefetch_related("partners__enterprise")[:500])
    grants = standing_by_source([services.source_key(b) for b in bases])  # one query for the page
    return [_out(b, grants) for b in bases]


@router.post("/bases", response={201: BaseOut}, summary="A school files a base with its enterprise partners")
def base_apply(request: HttpRequest, body: BaseApplyIn) -> tuple[int, dict[str, Any]]:
    user = acting_user(request)
    require_role(user, "organisation_user", "bureau_officer")
    if user.role == "organisation_user" and not user.is_superuser:
        school = user.organisation
    else:
        school = Organisation.objects.filter(pk=body.school_id or 0).first()
    if school is None:
        raise DomainError("school_required", _("请指定申报院校"), {"school_id": _("请指定申报院校")})
    partners = services.partners_from_uscc([(p.uscc, p.contribution) for p in body.partners])
    base = services.base_apply(
        actor=user, school=school, name=body.name, field=body.field, plan=body.plan, partners=partners
    )
    return 201, _out(base)


@router.get("/bases/progress", response=BaseProgressOut, summary="T-BASES progress and the special fund")
def base_progress(request: HttpRequest) -> dict[str, Any]:
    require_role(acting_user(request), "bureau_officer")
    p = selectors.progress()
    status = services.fund_status()
    fund = None
    if status is not None:
        fund = {
            "name": status["fund"].name,
            "source": status["fund"].source,
            **{k: status[k] for k in ("total", "committed", "spent", "remaining", "pending", "available")},
        }
    return {**p, "rows": [r.__dict__ for r in p["rows"]], "fund": fund}


@router.get("/bases/{pk}", response=BaseOut, summary="One base with its partners and its grant")
def base_detail(request: HttpRequest, pk: Id) -> dict[str, Any]:
    return _out(_base(request, pk))


@router.post(
    "/bases/{pk}/review", response=BaseOut, summary="Review: pass (立项建设) or refuse with a reason"
)
def base_review(request: HttpRequest, pk: Id, body: BaseReviewIn) -> dict[str, Any]:
    user = acting_user(request)
    base = services.base_review(actor=user, base=_base(request, pk), passed=body.passed, note=body.note)
    return _out(base)


@router.post(
    "/bases/{pk}/recognise",
    response=BaseOut,
    summary="Recognise the base; its EDU-BASE application is made, refused past the fund's remaining amount",
)
def base_recognise(request: HttpRequest, pk: Id, body: BaseRecogniseIn) -> dict[str, Any]:
    user = acting_user(request)
    base = _base(request, pk)
    services.base_recognise(actor=user, base=base, day=body.recognised_on)
    base.refresh_from_db()
    return _out(base)


@router.get("/public/bases", auth=None, response=list[BasePublicOut], summary="Recognised bases (public)")
def base_public(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "number": b.number,
            "name": b.name,
            "school": b.school.name,
            "field": b.field,
            "recognised_on": b.recognised_on,
            "partners": [p.enterprise.name for p in b.partners.all()],
        }
        for b in selectors.public_bases()[:500]
    ]
