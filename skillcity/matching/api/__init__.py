"""/api/v1/matching/ (issue 19 §4, §6): the same as the pages. Every schema is named Matching….

- enterprises: job needs (list, post, state), a need's ranked candidates with reasons (masked until the
  worker accepts), a candidate's full contact (audited), the hire;
- workers: their job needs and matches, and the answer;
- officers: assignments and follow-ups; the statistics; fairs (public list and page) and hires.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from skillcity.accounts.models import User
from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import Id, IsoDate, money_type
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.schemas import InputSchema
from skillcity.matching import selectors
from skillcity.matching.models import HEAD_COUNT_MAX, FollowUp, JobFair, JobNeed
from skillcity.matching.selectors.officers import assignment_for, assignments_visible
from skillcity.matching.selectors.stats import matching_statistics
from skillcity.matching.services import (
    WAGE_MAX,
    job_need_create,
    job_need_set_state,
    match_contact_view,
    match_respond,
    seeker_need_record,
)
from skillcity.matching.services.hires import hire_record_from_match, hire_why
from skillcity.matching.services.officers import assignment_create, follow_up_record
from skillcity.registry.models import Occupation, Organisation, Town, Worker

router = Router(tags=["matching"])
OFFICERS = ("bureau_officer", "town_officer")
Wage = money_type(WAGE_MAX)


def _get(model: Any, pk: int, field: str, label: str) -> Any:
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise DomainError(
            "invalid",
            _("%(label)s不存在") % {"label": label},
            {field: _("%(label)s不存在") % {"label": label}},
        )
    return found


class MatchingNeedIn(InputSchema):
    occupation_id: Id
    level: int = Field(ge=1, le=5)
    town_id: Id
    head_count: int = Field(ge=1, le=HEAD_COUNT_MAX)
    wage_min: Wage  # type: ignore[valid-type]
    wage_max: Wage  # type: ignore[valid-type]
    start: IsoDate
    description: str = Field("", max_length=500)
    fair_id: Id | None = None


class MatchingNeedOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    occupation_id: int
    occupation_name: str
    level: int
    level_name: str
    town_id: int
    town_name: str
    head_count: int
    wage_min: Decimal
    wage_max: Decimal
    start: datetime.date
    description: str
    fair_id: int | None
    state: str
    state_name: str

    @staticmethod
    def resolve_enterprise_name(obj: JobNeed) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_occupation_name(obj: JobNeed) -> str:
        return obj.occupation.name

    @staticmethod
    def resolve_level_name(obj: JobNeed) -> str:
        return str(obj.get_level_display())

    @staticmethod
    def resolve_town_name(obj: JobNeed) -> str:
        return obj.town.name

    @staticmethod
    def resolve_state_name(obj: JobNeed) -> str:
        return str(obj.get_state_display())


class MatchingStateIn(InputSchema):
    state: str = Field(max_length=10)


class MatchingReasonOut(Schema):
    code: str
    text: str
    fits: bool


class MatchingCandidateOut(Schema):
    match_id: int
    state: str
    state_name: str
    name: str
    phone: str
    id_number: str
    masked: bool
    reasons: list[MatchingReasonOut]
    reason_text: str
    score: int


class MatchingContactOut(Schema):
    name: str
    phone: str
    id_number: str


class MatchingMatchOut(Schema):
    match_id: int
    need: MatchingNeedOut
    state: str
    state_name: str
    reasons: list[MatchingReasonOut]
    reason_text: str


class MatchingAnswerIn(InputSchema):
    accept: bool


class MatchingSeekerNeedIn(InputSchema):
    occupation_id: Id
    town_ids: list[Id] = Field(min_length=1, max_length=10)


class MatchingSeekerNeedOut(Schema):
    id: int
    occupation_id: int
    occupation_name: str
    town_ids: list[int]
    state: str


class MatchingHireIn(InputSchema):
    start_month: str = Field(pattern=r"^\d{4}-\d{2}$")


class MatchingHireOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    worker_id: int
    source: str
    start_month: datetime.date
    state: str
    state_name: str
    confirmed_month: datetime.date | None
    why: str


class MatchingAssignmentIn(InputSchema):
    officer_id: Id
    enterprise_id: Id | None = None
    worker_id: Id | None = None


class MatchingAssignmentOut(Schema):
    id: int
    officer_id: int
    enterprise_id: int | None
    worker_id: int | None
    town_id: int
    due: bool
    due_on: datetime.date | None
    last_follow_up: datetime.date | None


class MatchingFollowUpIn(InputSchema):
    date: IsoDate
    way: str = Field(max_length=10)
    done: str = Field(max_length=500)
    next_step: str = Field("", max_length=500)
    next_date: IsoDate | None = None


class MatchingFollowUpOut(Schema):
    id: int
    date: datetime.date
    way: str
    done: str
    next_step: str
    next_date: datetime.date | None


class MatchingLineOut(Schema):
    label: str
    needs: int
    head_count: int
    matches: int
    accepted: int
    hires: int
    confirmed: int


class MatchingStatisticsOut(Schema):
    total: MatchingLineOut
    by_town: list[MatchingLineOut]
    by_occupation: list[MatchingLineOut]
    fairs: int
    fair_enterprises: int
    fair_vacancies: int
    fair_hires: int


class MatchingFairOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    town_name: str
    venue: str

    @staticmethod
    def resolve_kind_name(obj: JobFair) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_town_name(obj: JobFair) -> str:
        return obj.town.name


class MatchingFairEnterpriseOut(Schema):
    enterprise_id: int
    enterprise_name: str
    booth: str
    vacancies: list[MatchingNeedOut]


class MatchingFairDetailOut(MatchingFairOut):
    enterprises: list[MatchingFairEnterpriseOut]


def _reasons(why: selectors.Explanation) -> list[dict[str, Any]]:
    return [{"code": r.code, "text": r.text, "fits": r.fits} for r in why.reasons]


def _hire(h: Any) -> dict[str, Any]:
    return {
        "id": h.pk,
        "enterprise_id": h.enterprise_id,
        "enterprise_name": h.enterprise.name,
        "worker_id": h.worker_id,
        "source": h.source,
        "start_month": h.start_month,
        "state": h.state,
        "state_name": str(h.get_state_display()),
        "confirmed_month": h.confirmed_month,
        "why": hire_why(h),
    }


@router.get("/needs", response=list[MatchingNeedOut], summary="Job needs in the caller's scope")
def need_list(request: HttpRequest) -> Any:
    return selectors.needs_visible(acting_user(request))[:500]


@router.post("/needs", response={201: MatchingNeedOut}, summary="Post a job need (an enterprise's user)")
def need_create(request: HttpRequest, body: MatchingNeedIn) -> Any:
    user = acting_user(request)
    need = job_need_create(
        actor=user,
        occupation=_get(Occupation, body.occupation_id, "occupation_id", _("职业（工种）")),
        level=body.level,
        town=_get(Town, body.town_id, "town_id", _("工作镇街")),
        head_count=body.head_count,
        wage_min=body.wage_min,
        wage_max=body.wage_max,
        start=body.start,
        description=body.description,
        fair=_get(JobFair, body.fair_id, "fair_id", _("招聘会")) if body.fair_id else None,
    )
    return 201, JobNeed.objects.select_related("enterprise", "occupation", "town").get(pk=need.pk)


@router.get("/needs/{pk}", response=MatchingNeedOut, summary="A job need")
def need_get(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    return get_for(user, selectors.needs_visible(user), pk)


@router.post("/needs/{pk}/state", response=MatchingNeedOut, summary="Mark a need open, filled or closed")
def need_state(request: HttpRequest, pk: Id, body: MatchingStateIn) -> Any:
    user = acting_user(request)
    need = job_need_set_state(actor=user, need=get_for(user, JobNeed.objects.all(), pk), state=body.state)
    return JobNeed.objects.select_related("enterprise", "occupation", "town").get(pk=need.pk)


@router.get(
    "/needs/{pk}/candidates",
    response=list[MatchingCandidateOut],
    summary="A need's candidates, ranked, with the reasons; masked until the worker accepts",
)
def need_candidates(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    need = get_for(user, selectors.needs_visible(user), pk)
    out = []
    for m, why in selectors.need_candidates(need):
        contact = selectors.contact_masked(m)
        out.append(
            {
                "match_id": m.pk,
                "state": m.state,
                "state_name": str(m.get_state_display()),
                "name": contact.name,
                "phone": contact.phone,
                "id_number": contact.id_number,
                "masked": True,
                "reasons": _reasons(why),
                "reason_text": why.text,
                "score": why.score,
            }
        )
    return out


@router.post(
    "/matches/{pk}/contact",
    response=MatchingContactOut,
    summary="A candidate's full contact once the worker accepted (each view audited)",
)
def match_contact(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    contact = match_contact_view(actor=user, match=selectors.match_for(user, pk))
    return {"name": contact.name, "phone": contact.phone, "id_number": contact.id_number}


@router.post("/matches/{pk}/hire", response={201: MatchingHireOut}, summary="Record the hire of a match")
def match_hire(request: HttpRequest, pk: Id, body: MatchingHireIn) -> Any:
    user = acting_user(request)
    try:
        month = datetime.date.fromisoformat(body.start_month + "-01")
    except ValueError:
        raise DomainError("invalid", _("入职月份无效"), {"start_month": _("入职月份无效")}) from None
    hire = hire_record_from_match(actor=user, match=selectors.match_for(user, pk), start_month=month)
    return 201, _hire(hire)


@router.get("/me/needs", response=list[MatchingSeekerNeedOut], summary="My job needs (a worker)")
def my_needs(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "worker")
    return [
        {
            "id": s.pk,
            "occupation_id": s.occupation_id,
            "occupation_name": s.occupation.name,
            "town_ids": [t.pk for t in s.towns.all()],
            "state": s.state,
        }
        for s in selectors.seeker_needs_of(user.worker_id or 0)
    ]


@router.post("/me/needs", response={201: MatchingSeekerNeedOut}, summary="Record my job need (a worker)")
def my_need_record(request: HttpRequest, body: MatchingSeekerNeedIn) -> Any:
    user = acting_user(request)
    towns = list(Town.objects.filter(pk__in=body.town_ids))
    if len(towns) != len(set(body.town_ids)):
        raise DomainError("invalid", _("意向镇街不存在"), {"town_ids": _("意向镇街不存在")})
    s = seeker_need_record(
        actor=user,
        occupation=_get(Occupation, body.occupation_id, "occupation_id", _("意向职业（工种）")),
        towns=towns,
    )
    return 201, {
        "id": s.pk,
        "occupation_id": s.occupation_id,
        "occupation_name": s.occupation.name,
        "town_ids": sorted(t.pk for t in towns),
        "state": s.state,
    }


@router.get("/me/matches", response=list[MatchingMatchOut], summary="My matches with the reasons (a worker)")
def my_matches(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "worker")
    return [
        {
            "match_id": m.pk,
            "need": m.need,
            "state": m.state,
            "state_name": str(m.get_state_display()),
            "reasons": _reasons(why),
            "reason_text": why.text,
        }
        for m, why in selectors.worker_matches(user.worker_id or 0)
    ]


@router.post(
    "/matches/{pk}/answer", response=MatchingMatchOut, summary="Accept or decline a match (a worker)"
)
def match_answer(request: HttpRequest, pk: Id, body: MatchingAnswerIn) -> Any:
    user = acting_user(request)
    match = match_respond(actor=user, match=selectors.match_for(user, pk), accept=body.accept)
    m, why = selectors.explain_matches([selectors.match_for(user, match.pk)])[0]
    return {
        "match_id": m.pk,
        "need": m.need,
        "state": m.state,
        "state_name": str(m.get_state_display()),
        "reasons": _reasons(why),
        "reason_text": why.text,
    }


@router.get(
    "/hires", response=list[MatchingHireOut], summary="Hires in the caller's scope, with their confirmation"
)
def hire_list(request: HttpRequest) -> Any:
    return [_hire(h) for h in selectors.hires_visible(acting_user(request))[:500]]


def _assignment(r: Any) -> dict[str, Any]:
    a = r.assignment
    return {
        "id": a.pk,
        "officer_id": a.officer_id,
        "enterprise_id": a.enterprise_id,
        "worker_id": a.worker_id,
        "town_id": a.town_id,
        "due": r.due,
        "due_on": r.due_on,
        "last_follow_up": r.last.date if r.last else None,
    }


@router.get("/assignments", response=list[MatchingAssignmentOut], summary="Assignments in scope (officers)")
def assignment_list(request: HttpRequest, mine: bool = False) -> Any:
    from skillcity.matching.selectors.officers import officer_assignments

    user = acting_user(request)
    require_role(user, *OFFICERS)
    today = timezone.localdate()
    rows = officer_assignments(user, today) if mine else assignments_visible(user, today)
    return [_assignment(r) for r in rows]


@router.post(
    "/assignments", response={201: MatchingAssignmentOut}, summary="Assign an enterprise or a job seeker"
)
def assignment_new(request: HttpRequest, body: MatchingAssignmentIn) -> Any:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    officer = _get(User, body.officer_id, "officer_id", _("就业服务专员"))
    a = assignment_create(
        actor=user,
        officer=officer,
        enterprise=_get(Organisation, body.enterprise_id, "enterprise_id", _("企业"))
        if body.enterprise_id
        else None,
        worker=_get(Worker, body.worker_id, "worker_id", _("求职者")) if body.worker_id else None,
    )
    return 201, {
        "id": a.pk,
        "officer_id": a.officer_id,
        "enterprise_id": a.enterprise_id,
        "worker_id": a.worker_id,
        "town_id": a.town_id,
        "due": True,
        "due_on": None,
        "last_follow_up": None,
    }


@router.post(
    "/assignments/{pk}/follow-ups",
    response={201: MatchingFollowUpOut},
    summary="Record a follow-up (the assigned officer)",
)
def follow_up_new(request: HttpRequest, pk: Id, body: MatchingFollowUpIn) -> Any:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    f: FollowUp = follow_up_record(
        actor=user,
        assignment=assignment_for(user, pk),
        date=body.date,
        way=body.way,
        done=body.done,
        next_step=body.next_step,
        next_date=body.next_date,
    )
    return 201, f


@router.get(
    "/statistics", response=MatchingStatisticsOut, summary="Needs, matches, hires by town and occupation"
)
def statistics(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    return matching_statistics(user)


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
    fair = JobFair.objects.select_related("town").filter(pk=pk).first()
    if fair is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return {
        "id": fair.pk,
        "name": fair.name,
        "kind": fair.kind,
        "kind_name": str(fair.get_kind_display()),
        "starts_on": fair.starts_on,
        "ends_on": fair.ends_on,
        "town_name": fair.town.name,
        "venue": fair.venue,
        "enterprises": [
            {
                "enterprise_id": fe.enterprise_id,
                "enterprise_name": fe.enterprise.name,
                "booth": fe.booth,
                "vacancies": vacancies,
            }
            for fe, vacancies in selectors.fair_enterprises(fair)
        ],
    }
