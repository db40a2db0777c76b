"""Alliances: list, create, statistics, detail, history, filing and the bureau's decisions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from skillcity.alliances import selectors, services
from skillcity.alliances.api.schemas import (
    AllianceDetailOut,
    AllianceIn,
    AlliancePatch,
    AllianceRowOut,
    ListQuery,
    ReasonIn,
    _detail,
    _industry,
)
from skillcity.alliances.composition import INITIATOR_CATEGORIES
from skillcity.core.access import require_role
from skillcity.core.bounds import Id
from skillcity.core.errors import PermissionDenied

router = Router(tags=["alliances"])


@router.get("", response=list[AllianceRowOut], summary="Alliances the caller may see, with report flags")
def list_alliances(request: HttpRequest, filters: Query[ListQuery]) -> Any:
    require_role(request.user, "bureau_officer", "town_officer", "organisation_user")
    rows = selectors.alliance_rows(
        request.user,
        q=filters.q,
        status=filters.status,
        industry=filters.industry,
        overdue_only=filters.overdue_only,
    )
    return [
        {
            "id": r.alliance.pk,
            "name": r.alliance.name,
            "status": r.alliance.status,
            "industry": r.alliance.industry.code,
            "initiator": r.alliance.initiator.name,
            "lead_enterprise": r.lead_name,
            "member_count": r.member_count,
            "last_report": str(r.last_period) if r.last_period else None,
            "missing": [str(p) for p in r.missing],
            "late": [str(p) for p in r.late],
            "flags": r.flags,
        }
        for r in rows
    ]


@router.post(
    "",
    response={201: AllianceDetailOut},
    summary="Create a draft alliance (the caller's organisation initiates)",
)
def create_alliance(request: HttpRequest, payload: AllianceIn) -> Any:
    user: Any = request.user
    if getattr(user, "role", "") != "organisation_user" or user.organisation is None:
        raise PermissionDenied(_("只有单位用户可以发起联盟"))
    if user.organisation.category not in INITIATOR_CATEGORIES:
        raise PermissionDenied(_("发起单位应为职业院校、技工院校、职业培训机构、科研机构或行业协会"))
    alliance = services.alliance_create(
        name=payload.name,
        industry=_industry(payload.industry),
        description=payload.description,
        initiator=user.organisation,
        actor=user,
    )
    return 201, _detail(alliance)


@router.get("/statistics", summary="Members by category and people trained per half year")
def get_statistics(request: HttpRequest) -> Any:
    require_role(request.user, "bureau_officer", "town_officer")
    return selectors.statistics(request.user)


@router.get("/{pk}", response=AllianceDetailOut)
def get_alliance(request: HttpRequest, pk: Id) -> Any:
    return _detail(selectors.alliance_get_for(request.user, pk))


@router.patch("/{pk}", response=AllianceDetailOut)
def update_alliance(request: HttpRequest, pk: Id, payload: AlliancePatch) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    alliance = services.alliance_update(
        alliance=alliance,
        actor=request.user,
        name=payload.name,
        industry=_industry(payload.industry) if payload.industry else None,
        description=payload.description,
    )
    return _detail(alliance)


@router.get("/{pk}/history", summary="The alliance's history, newest first")
def get_history(request: HttpRequest, pk: Id) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    return [
        {"at": e.at, "actor": e.actor_label, "action": e.action, "message": e.message}
        for e in alliance.events.all()[:500]
    ]


@router.post(
    "/{pk}/file",
    response=AllianceDetailOut,
    summary="File (备案) with the bureau; 400 lists every missing item",
)
def file_alliance(request: HttpRequest, pk: Id) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk, write=True)
    return _detail(services.alliance_file(alliance=alliance, actor=request.user))


@router.post("/{pk}/accept", response=AllianceDetailOut)
def accept_alliance(request: HttpRequest, pk: Id) -> Any:
    alliance = selectors.alliance_review_get_for(request.user, pk)
    return _detail(services.alliance_accept(alliance=alliance, actor=request.user))


@router.post("/{pk}/return", response=AllianceDetailOut)
def return_alliance(request: HttpRequest, pk: Id, payload: ReasonIn) -> Any:
    alliance = selectors.alliance_review_get_for(request.user, pk)
    return _detail(services.alliance_return(alliance=alliance, actor=request.user, reason=payload.reason))


@router.post("/{pk}/dissolve", response=AllianceDetailOut)
def dissolve_alliance(request: HttpRequest, pk: Id, payload: ReasonIn) -> Any:
    alliance = selectors.alliance_get_for(request.user, pk)
    if not (selectors.is_bureau(request.user) or selectors.is_initiator_user(request.user, alliance)):
        raise PermissionDenied(_("只有市人社局或联盟发起单位可以解散联盟"))
    return _detail(services.alliance_dissolve(alliance=alliance, actor=request.user, reason=payload.reason))
