"""/api/v1/matching/ job fairs: the public list and page; officers set fairs up and add enterprises;
hires made at a fair."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import Id
from skillcity.core.errors import NotFound
from skillcity.matching import selectors
from skillcity.matching.api import OFFICERS, _get, _hire, router
from skillcity.matching.api.schemas import (
    MatchingFairDetailOut,
    MatchingFairEnterpriseIn,
    MatchingFairEnterpriseOut,
    MatchingFairHireIn,
    MatchingFairIn,
    MatchingFairOut,
    MatchingHireOut,
)
from skillcity.matching.models import JobFair, JobNeed
from skillcity.matching.services.hires import hire_record_at_fair, start_month_of
from skillcity.matching.services.officers import fair_create, fair_enterprise_add
from skillcity.registry.models import Organisation, Town


@router.get(
    "/fairs", response=list[MatchingFairOut], summary="Job fairs, upcoming then past (public)", auth=None
)
def fair_list(request: HttpRequest) -> Any:
    upcoming, past = selectors.fairs_public(timezone.localdate())
    return upcoming + past


@router.get(
    "/fairs/{pk}",
    response=MatchingFairDetailOut,
    summary="A job fair's enterprises and vacancies (public)",
    auth=None,
)
def fair_get(request: HttpRequest, pk: Id) -> Any:
    return _fair(pk)


def _fair(pk: int) -> JobFair:
    fair = JobFair.objects.select_related("town").filter(pk=pk).first()
    if fair is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return fair


@router.post(
    "/fairs",
    response={201: MatchingFairOut},
    summary="Set up a job fair (bureau; a town officer in the town)",
)
def fair_new(request: HttpRequest, body: MatchingFairIn) -> Any:
    user = acting_user(request)
    fair = fair_create(
        actor=user,
        name=body.name,
        kind=body.kind,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        town=_get(Town, body.town_id, "town_id", _("举办镇街")),
        venue=body.venue,
    )
    return 201, _fair(fair.pk)


@router.post(
    "/fairs/{pk}/enterprises",
    response={201: MatchingFairEnterpriseOut},
    summary="Add an enterprise to a fair (bureau; a town officer in the fair's town)",
)
def fair_enterprise_new(request: HttpRequest, pk: Id, body: MatchingFairEnterpriseIn) -> Any:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    enterprise = _get(Organisation, body.enterprise_id, "enterprise_id", _("参会企业"))
    entry = fair_enterprise_add(actor=user, fair=_fair(pk), enterprise=enterprise, booth=body.booth)
    return 201, {
        "enterprise_id": enterprise.pk,
        "enterprise_name": enterprise.name,
        "booth": entry.booth,
        "vacancies": [],
    }


@router.post(
    "/fairs/{pk}/hires",
    response={201: MatchingHireOut},
    summary="Record a hire made at a fair (the enterprise; officers of the fair's town)",
)
def fair_hire_new(request: HttpRequest, pk: Id, body: MatchingFairHireIn) -> Any:
    user = acting_user(request)
    fair = _fair(pk)
    need = _get(JobNeed, body.need_id, "need_id", _("用工需求")) if body.need_id else None
    hire = hire_record_at_fair(
        actor=user,
        fair=fair,
        enterprise=_get(Organisation, body.enterprise_id, "enterprise_id", _("参会企业")),
        id_number=body.id_number,
        start_month=start_month_of(body.start_month),
        need=need,
    )
    return 201, _hire(hire)
