"""/api/v1/platforms/subbases/…: the sub-base pages' reads and actions (issue 17 §7)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import Capacity, Headcount, Id, IsoDate, Year
from skillcity.core.errors import DomainError, NotFound
from skillcity.grants.flows import source_label, user_has_stage_role
from skillcity.platforms.models.subbases import CourseAllocation, Subbase, SubbaseReport
from skillcity.platforms.selectors import subbases as selectors
from skillcity.platforms.services import subbases as services
from skillcity.platforms.services.subbases.purchases import grants_for
from skillcity.registry.models import Occupation, Organisation
from skillcity.training.models import TrainingClass

router = Router(tags=["platforms"])


def _money(value: Any) -> str | None:
    return None if value in (None, "") else f"{value}"


def _subbase(s: Subbase) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "organisation_id": s.organisation_id,
        "organisation": s.organisation.name,
        "town": s.organisation.town.name,
        "direction": s.direction,
        "state": s.state,
        "state_label": s.get_state_display(),
        "recognised_on": s.recognised_on,
        "decision_note": s.decision_note,
    }


def _report(r: SubbaseReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "subbase_id": r.subbase_id,
        "year": r.year,
        "person_times": r.person_times,
        "new_courses": r.course_names,
        "new_course_count": r.new_course_count,
        "evaluated": r.evaluated_at is not None,
        "passed": r.passed,
        "passed_label": "" if r.evaluated_at is None else (_("合格") if r.passed else _("不合格")),
        "outcome": r.outcome or None,
    }


def _grant(g: Any) -> dict[str, Any]:
    return {
        "grant_id": g.pk,
        "source": source_label(g.source_key),
        "state": g.state,
        "state_label": g.get_state_display(),
        "amount": _money(g.decided_amount) or _money(g.outcome.get("amount")),
    }


def _allocation(a: CourseAllocation) -> dict[str, Any]:
    trainees, roster = services.trainees_from_roster(a)
    return {
        "id": a.pk,
        "year": a.quota.year,
        "subbase_id": a.subbase_id,
        "subbase": a.subbase.name,
        "course_name": a.course_name,
        "category": a.category,
        "category_label": a.get_category_display(),
        "places": a.places,
        "state": a.state,
        "state_label": a.get_state_display(),
        "training_class_id": a.training_class_id,
        "trainees": trainees,
        "trainees_source": roster,
        "accepted_on": a.accepted_on,
        "acceptance_note": a.acceptance_note,
    }


def _subbase_for(request: HttpRequest, pk: int) -> Subbase:
    return get_for(acting_user(request), Subbase.objects.select_related("organisation__town"), pk)


def _allocation_for(request: HttpRequest, pk: int) -> CourseAllocation:
    return get_for(
        acting_user(request),
        CourseAllocation.objects.select_related("subbase__organisation", "quota", "training_class"),
        pk,
    )


@router.get("/subbases/public", auth=None, summary="Recognised sub-bases (public, no login)")
def public(request: HttpRequest) -> Any:
    return [
        {k: v for k, v in _subbase(s).items() if k not in ("decision_note", "state", "organisation_id")}
        for s in selectors.recognised()
    ]


@router.get("/subbases/progress", summary="T-SUBBASES progress, person-times, purchases, centre (bureau)")
def progress(request: HttpRequest) -> Any:
    require_role(acting_user(request), "bureau_officer")
    p = selectors.progress()
    centre = p.pop("centre")
    return {
        **p,
        "rows": [r.__dict__ for r in p["rows"]],
        "centre": {
            "organisation": centre.organisation.name,
            "yearly_certifications": centre.yearly_certifications,
        }
        if centre
        else None,
    }


@router.get("/subbases", summary="Sub-bases the caller may see")
def subbases(request: HttpRequest) -> Any:
    return [_subbase(s) for s in selectors.subbases_for(acting_user(request))[:500]]


class SubbaseApplyIn(Schema):
    name: str
    direction: str
    organisation_id: Id | None = None  # the bureau filing for an organisation


@router.post("/subbases", response={201: dict}, summary="Apply to be recognised (organisation user)")
def apply(request: HttpRequest, payload: SubbaseApplyIn) -> Any:
    user = acting_user(request)
    organisation = None
    if payload.organisation_id and user_has_stage_role(user, "bureau_officer"):
        organisation = Organisation.objects.filter(pk=payload.organisation_id).first()
        if organisation is None:
            raise NotFound(_("单位不存在"))
    made = services.subbase_apply(
        actor=user, name=payload.name, direction=payload.direction, organisation=organisation
    )
    return 201, _subbase(made)


@router.get("/subbases/{int:pk}", summary="One sub-base with its reports, courses and grants")
def subbase(request: HttpRequest, pk: Id) -> Any:
    s = _subbase_for(request, pk)
    return {
        **_subbase(s),
        "reports": [_report(r) for r in selectors.reports_for(s)],
        "allocations": [
            _allocation(a) for a in s.allocations.select_related("quota", "subbase", "training_class")
        ],
        "grants": [_grant(g) for g in selectors.grants_for_organisation(s.organisation_id)[:100]],
    }


class SubbaseDecisionIn(Schema):
    action: Literal["recognise", "reject", "revoke"]
    recognised_on: IsoDate | None = None
    note: str = ""


@router.post("/subbases/{int:pk}/decision", summary="Recognise, reject or revoke (bureau)")
def decision(request: HttpRequest, pk: Id, payload: SubbaseDecisionIn) -> Any:
    user = acting_user(request)
    s = _subbase_for(request, pk)
    if payload.action == "recognise":
        s = services.subbase_recognise(
            actor=user, subbase=s, recognised_on=payload.recognised_on, note=payload.note
        )
    elif payload.action == "reject":
        s = services.subbase_reject(actor=user, subbase=s, note=payload.note)
    else:
        s = services.subbase_revoke(actor=user, subbase=s, note=payload.note)
    return _subbase(s)


class SubbaseReportIn(Schema):
    year: Year
    person_times: Headcount
    new_courses: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=200)


@router.post(
    "/subbases/{int:pk}/reports", response={201: dict}, summary="File the yearly report (the sub-base)"
)
def report_submit(request: HttpRequest, pk: Id, payload: SubbaseReportIn) -> Any:
    report = services.report_submit(
        actor=acting_user(request),
        subbase=_subbase_for(request, pk),
        year=payload.year,
        person_times=payload.person_times,
        new_courses="\n".join(payload.new_courses),
    )
    return 201, _report(report)


@router.post("/subbases/reports/{int:pk}/evaluate", summary="Evaluate a report with PLT-SUBBASE (bureau)")
def report_evaluate(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    report = get_for(user, SubbaseReport.objects.select_related("subbase"), pk)
    return _report(services.report_evaluate(actor=user, report=report))


@router.get(
    "/subbases/purchases/{int:year}", summary="A year's course purchase: quota and allocations (bureau)"
)
def purchase_year(request: HttpRequest, year: Year) -> Any:
    require_role(acting_user(request), "bureau_officer")
    q = selectors.quota_view(year)
    return {
        **q.__dict__,
        "allocations": [_allocation(a) for a in selectors.allocations_of_year(year).select_related("quota")],
    }


class SubbaseQuotaIn(Schema):
    places: Capacity = 3000


@router.put("/subbases/purchases/{int:year}", summary="Set a year's purchase places (bureau)")
def quota_set(request: HttpRequest, year: Year, payload: SubbaseQuotaIn) -> Any:
    services.quota_set(actor=acting_user(request), year=year, places=payload.places)
    return selectors.quota_view(year).__dict__


class SubbaseAllocationIn(Schema):
    subbase_id: Id
    course_name: str
    category: Literal["A", "B"]
    places: Capacity


@router.post(
    "/subbases/purchases/{int:year}/allocations",
    response={201: dict},
    summary="Allocate places to a sub-base (bureau; refused past the year's quota)",
)
def allocation_create(
    request: HttpRequest,
    year: Year,
    payload: SubbaseAllocationIn,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=64),
) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    s = Subbase.objects.filter(pk=payload.subbase_id).first()
    if s is None:
        raise NotFound(_("分基地不存在"))
    made = services.allocation_create(
        actor=user,
        subbase=s,
        year=year,
        places=payload.places,
        course_name=payload.course_name,
        category=payload.category,
        request_key=idempotency_key,
    )
    return 201, _allocation(made)


@router.get("/subbases/courses", summary="Purchased courses the caller may see")
def courses(request: HttpRequest) -> Any:
    return [
        _allocation(a)
        for a in selectors.with_completed(selectors.allocations_for(acting_user(request)))[:500]
    ]


@router.get("/subbases/courses/{int:pk}", summary="One purchased course with its grants")
def course(request: HttpRequest, pk: Id) -> Any:
    a = _allocation_for(request, pk)
    return {**_allocation(a), "grants": [_grant(g) for g in grants_for(a)]}


class SubbaseClassIn(Schema):
    training_class_id: Id | None = None  # link one of the sub-base's classes, or open one:
    occupation_id: Id | None = None
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None


@router.post("/subbases/courses/{int:pk}/class", summary="Run the course as a training class (the sub-base)")
def course_class(request: HttpRequest, pk: Id, payload: SubbaseClassIn) -> Any:
    user = acting_user(request)
    a = _allocation_for(request, pk)
    if payload.training_class_id:
        found = TrainingClass.objects.filter(pk=payload.training_class_id).first()
        if found is None:
            raise NotFound(_("培训班不存在"))
        a = services.allocation_class_link(actor=user, allocation=a, training_class=found)
    else:
        occupation = Occupation.objects.filter(pk=payload.occupation_id or 0).first()
        if occupation is None or payload.start_date is None or payload.end_date is None:
            raise DomainError(
                "class_required",
                _("请选择已有培训班，或填写职业（工种）、开班日期和结业日期"),
                {"occupation_id": _("请选择职业（工种）")}
                if occupation is None
                else {"start_date": _("请填写日期")},
            )
        a = services.allocation_class_open(
            actor=user,
            allocation=a,
            occupation=occupation,
            start_date=payload.start_date,
            end_date=payload.end_date,
        )
    return _allocation(a)


class SubbaseAcceptIn(Schema):
    passed: bool
    accepted_on: IsoDate | None = None
    note: str = ""


@router.post("/subbases/courses/{int:pk}/acceptance", summary="Accept the course or not (bureau)")
def course_accept(request: HttpRequest, pk: Id, payload: SubbaseAcceptIn) -> Any:
    a = services.allocation_accept(
        actor=acting_user(request),
        allocation=_allocation_for(request, pk),
        passed=payload.passed,
        note=payload.note,
        accepted_on=payload.accepted_on,
    )
    return _allocation(a)


class SubbaseCancelIn(Schema):
    reason: str


@router.post("/subbases/courses/{int:pk}/cancel", summary="Cancel a course; its places return (bureau)")
def course_cancel(request: HttpRequest, pk: Id, payload: SubbaseCancelIn) -> Any:
    a = services.allocation_cancel(
        actor=acting_user(request), allocation=_allocation_for(request, pk), reason=payload.reason
    )
    return _allocation(a)


@router.post(
    "/subbases/courses/{int:pk}/grant",
    response={201: dict},
    summary="Make the TRN-SUBBASE-COURSE application from the records (the sub-base or the bureau)",
)
def course_grant(request: HttpRequest, pk: Id) -> Any:
    app = services.allocation_grant_apply(actor=acting_user(request), allocation=_allocation_for(request, pk))
    return 201, {**_grant(app), "facts": app.facts, "fact_sources": app.fact_sources}
