"""/api/v1/matching/ (issue 19 §4, §6): the same as the pages. Every schema is named Matching….

- enterprises: job needs (list, post, state), a need's ranked candidates with reasons (masked until the
  worker accepts), a candidate's full contact (audited), the hire;
- workers: their job needs and matches, and the answer;
- officers: assignments and follow-ups; the statistics; fairs (public list and page) and hires.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from skillcity.accounts.models import User
from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import Id, Limit, PageNumber
from skillcity.core.errors import DomainError
from skillcity.matching import selectors
from skillcity.matching.api.schemas import (
    MatchingAnswerIn,
    MatchingAssignmentIn,
    MatchingAssignmentOut,
    MatchingCandidateOut,
    MatchingContactOut,
    MatchingFollowUpIn,
    MatchingFollowUpOut,
    MatchingHireIn,
    MatchingHireOut,
    MatchingMatchOut,
    MatchingNeedIn,
    MatchingNeedOut,
    MatchingSeekerNeedIn,
    MatchingSeekerNeedOut,
    MatchingStateIn,
    MatchingStatisticsOut,
)
from skillcity.matching.models import FollowUp, JobFair, JobNeed
from skillcity.matching.selectors.officers import assignment_for, assignments_visible
from skillcity.matching.selectors.stats import matching_statistics
from skillcity.matching.services import (
    job_need_create,
    job_need_set_state,
    match_contact_view,
    match_respond,
    seeker_need_record,
)
from skillcity.matching.services.hires import hire_record_from_match, hire_why, start_month_of
from skillcity.matching.services.officers import (
    assignment_create,
    assignment_end,
    follow_up_record,
)
from skillcity.registry.models import Occupation, Organisation, Town, Worker

router = Router(tags=["matching"])
OFFICERS = ("bureau_officer", "town_officer")


def _get(model: Any, pk: int, field: str, label: str) -> Any:
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise DomainError(
            "invalid",
            _("%(label)s不存在") % {"label": label},
            {field: _("%(label)s不存在") % {"label": label}},
        )
    return found


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
def need_candidates(request: HttpRequest, pk: Id, limit: Limit = 100, page: PageNumber = 1) -> Any:
    user = acting_user(request)
    need = get_for(user, selectors.needs_visible(user), pk)
    out = []
    for m, why in selectors.need_candidates(need, limit=limit, offset=(page - 1) * limit):
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
    month = start_month_of(body.start_month)
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
    "/assignments/{pk}/end",
    response=MatchingAssignmentOut,
    summary="End an assignment (the bureau; a town officer in the town)",
)
def assignment_finish(request: HttpRequest, pk: Id) -> Any:
    from skillcity.matching.selectors.officers import AssignmentRow

    user = acting_user(request)
    require_role(user, *OFFICERS)
    a = assignment_end(actor=user, assignment=assignment_for(user, pk))
    follow_ups = list(a.follow_ups.all())
    last = follow_ups[0] if follow_ups else None
    return _assignment(AssignmentRow(a, last, last.next_date if last else None, False))


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


# The fairs' routes (api/fairs.py) join this router.
from skillcity.matching.api import fairs  # noqa: E402, F401
