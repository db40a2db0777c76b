"""The city's course purchase from the sub-bases (D002 item 15: courses for 3,000 persons a year).

The bureau sets a year's quota of places and allocates places to recognised sub-bases, one course each;
an allocation past the year's quota is refused, naming the places that remain. The sub-base runs the
course as a training class (the training app's class and enrolments: the enrolments are the roster);
the bureau accepts the course; then TRN-SUBBASE-COURSE pays 1,500 or 2,000 per trainee through grants,
the trainees counted from the roster — never typed."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import CAPACITY_MAX, YEAR_MAX, YEAR_MIN
from skillcity.core.errors import Conflict, DomainError
from skillcity.grants.models import Application
from skillcity.grants.services.records import application_from_records
from skillcity.platforms.models.subbases import (
    AllocationState,
    CourseAllocation,
    CourseCategory,
    CoursePurchaseQuota,
    Subbase,
    SubbaseState,
)
from skillcity.platforms.services.subbases.recognition import (
    NAME_MAX,
    _note,
    require_bureau,
    require_own,
    today,
)
from skillcity.registry.models import Occupation
from skillcity.training.models import Enrolment, TrainingClass

KEY_MAX = 64  # CourseAllocation.request_key

RULE_ID = "TRN-SUBBASE-COURSE"
SOURCE_PREFIX = "platforms.subbases."
# Places the quota and allocations hold; cancelled allocations give their places back.
HOLDING = (
    AllocationState.ALLOCATED,
    AllocationState.RUNNING,
    AllocationState.ACCEPTED,
    AllocationState.FAILED,
)


def source_key(allocation: CourseAllocation) -> str:
    return f"{SOURCE_PREFIX}course:{allocation.pk}"


def describe_source(key: str) -> str:
    """Grants' words for a course purchase's application: the course, the sub-base and the year."""
    try:
        pk = int(key.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return ""
    allocation = CourseAllocation.objects.select_related("subbase", "quota").filter(pk=pk).first()
    if allocation is None:
        return ""
    return _("分基地购买课程：%(c)s（%(s)s，%(y)s年度）") % {
        "c": allocation.course_name,
        "s": allocation.subbase.name,
        "y": allocation.quota.year,
    }


def allocated_places(quota: CoursePurchaseQuota) -> int:
    return int(quota.allocations.filter(state__in=HOLDING).aggregate(n=Sum("places"))["n"] or 0)


@transaction.atomic
def quota_set(*, actor: Any, year: int, places: int) -> CoursePurchaseQuota:
    """Set (or change) a year's places; never below what is already allocated."""
    require_bureau(actor)
    errors: dict[str, str] = {}
    if not YEAR_MIN <= year <= YEAR_MAX:
        errors["year"] = _("年度应在2000至2100之间")
    if not 1 <= places <= CAPACITY_MAX:
        errors["places"] = _("购买名额应为1至100000")
    if errors:
        raise DomainError("invalid", _("年度名额信息有误"), errors)
    quota = CoursePurchaseQuota.objects.select_for_update().filter(year=year).first()
    if quota is None:
        quota = CoursePurchaseQuota.objects.create(year=year, places=places, set_by=actor)
        audit_record(actor=actor, action="platforms.subbase_quota.set", target=quota, after=snapshot(quota))
        return quota
    taken = allocated_places(quota)
    if places < taken:
        message = _("%(y)s年度已分配%(t)s个名额，年度名额不能少于已分配数") % {"y": year, "t": taken}
        raise DomainError("below_allocated", message, {"places": message})
    before = snapshot(quota)
    quota.places = places
    quota.set_by = actor
    quota.save(update_fields=["places", "set_by", "set_at"])
    audit_record(
        actor=actor, action="platforms.subbase_quota.set", target=quota, before=before, after=snapshot(quota)
    )
    return quota


@transaction.atomic
def allocation_create(
    *,
    actor: Any,
    subbase: Subbase,
    year: int,
    places: int,
    course_name: str,
    category: str,
    request_key: str = "",
) -> CourseAllocation:
    """Allocate places of the year's quota to a sub-base for one course. `request_key` (the form's
    one-time key, the API's Idempotency-Key): the same key again returns the allocation it made, so a
    submit sent twice allocates once; the key with other values is refused."""
    require_bureau(actor)
    request_key = (request_key or "").strip()
    if len(request_key) > KEY_MAX:
        raise DomainError("invalid", _("请求标识过长"), {"request_key": _("不能超过64个字符")})
    errors: dict[str, str] = {}
    course_name = (course_name or "").strip()
    if not course_name:
        errors["course_name"] = _("请填写课程名称")
    elif len(course_name) > NAME_MAX:
        errors["course_name"] = _("不能超过200字")
    if category not in CourseCategory.values:
        errors["category"] = _("请选择课程类别")
    if not 1 <= places <= CAPACITY_MAX:
        errors["places"] = _("分配名额应为1至100000")
    if errors:
        raise DomainError("invalid", _("名额分配信息有误"), errors)
    if subbase.state != SubbaseState.RECOGNISED:
        raise DomainError(
            "not_recognised",
            _("%(s)s不在认定状态（%(st)s），不能分配名额")
            % {"s": subbase.name, "st": subbase.get_state_display()},
            {"subbase": _("该分基地不在认定状态")},
        )
    # Lock the year's quota: two allocations at once must not both take the last places.
    quota = CoursePurchaseQuota.objects.select_for_update().filter(year=year).first()
    if quota is None:
        message = _("%(y)s年度的课程购买名额尚未设定，请先设定年度名额") % {"y": year}
        raise DomainError("no_quota", message, {"year": message})
    if request_key:  # checked under the quota's lock: two copies of one submit wait for each other
        made = CourseAllocation.objects.filter(request_key=request_key).first()
        if made is not None:
            same = (made.quota_id, made.subbase_id, made.places, made.course_name, made.category) == (
                quota.pk,
                subbase.pk,
                places,
                course_name,
                category,
            )
            if not same:
                message = _("该请求标识已用于另一次名额分配")
                raise DomainError("request_key_reused", message, status=409)  # the form's, not a field's
            return made
    remaining = quota.places - allocated_places(quota)
    if places > remaining:
        message = _("%(y)s年度课程购买名额剩余%(r)s个，不能分配%(p)s个") % {
            "y": year,
            "r": remaining,
            "p": places,
        }
        raise DomainError("quota_exceeded", message, {"places": message})
    allocation = CourseAllocation.objects.create(
        quota=quota,
        subbase=subbase,
        course_name=course_name,
        category=category,
        places=places,
        allocated_by=actor,
        request_key=request_key,
    )
    audit_record(
        actor=actor,
        action="platforms.subbase_allocation.create",
        target=allocation,
        after=snapshot(allocation),
    )
    return allocation


def _locked(allocation: CourseAllocation) -> CourseAllocation:
    # Only the allocation row is locked: its class is an outer join, which PostgreSQL cannot lock.
    return (
        CourseAllocation.objects.select_for_update(of=("self",))
        .select_related("subbase__organisation", "quota", "training_class__project")
        .get(pk=allocation.pk)
    )


def _require_state(allocation: CourseAllocation, *states: str) -> None:
    if allocation.state not in states:
        raise DomainError(
            "bad_state",
            _("该课程状态为“%(s)s”，不能执行此操作") % {"s": allocation.get_state_display()},
        )


@transaction.atomic
def allocation_cancel(*, actor: Any, allocation: CourseAllocation, reason: str) -> CourseAllocation:
    """Cancel a course not yet accepted; its places return to the year's quota."""
    require_bureau(actor)
    allocation = _locked(allocation)
    _require_state(allocation, AllocationState.ALLOCATED, AllocationState.RUNNING)
    before = snapshot(allocation)
    allocation.acceptance_note = _note(reason, required=True, label=_("取消原因"))
    allocation.state = AllocationState.CANCELLED
    allocation.save(update_fields=["state", "acceptance_note"])
    audit_record(
        actor=actor,
        action="platforms.subbase_allocation.cancel",
        target=allocation,
        before=before,
        after=snapshot(allocation),
    )
    return allocation


@transaction.atomic
def allocation_class_link(
    *, actor: Any, allocation: CourseAllocation, training_class: TrainingClass
) -> CourseAllocation:
    """Run the course as one of the sub-base's own training classes: its enrolments are the roster."""
    allocation = _locked(allocation)
    require_own(actor, allocation.subbase.organisation_id)
    _require_state(allocation, AllocationState.ALLOCATED)
    training_class = TrainingClass.objects.select_related("project").get(pk=training_class.pk)
    if training_class.project.provider_id != allocation.subbase.organisation_id:
        raise DomainError(
            "not_own_class",
            _("只能关联本分基地依托单位的培训班"),
            {"training_class": _("不是本单位的培训班")},
        )
    # A class of a project paid per trainee by the project subsidy (TRN-PROJECT) would be paid twice.
    if training_class.project.per_person_standard > 0:
        message = _("该培训班所属项目按项目制培训补贴结算（每人%(v)s元），不能再作为购买课程") % {
            "v": training_class.project.per_person_standard
        }
        raise DomainError("paid_by_project", message, {"training_class": message})
    if CourseAllocation.objects.filter(training_class=training_class).exists():
        raise Conflict(
            "class_taken",
            _("该培训班已关联其他购买课程"),
            {"training_class": _("该培训班已关联其他购买课程")},
        )
    before = snapshot(allocation)
    allocation.training_class = training_class
    allocation.state = AllocationState.RUNNING
    allocation.save(update_fields=["training_class", "state"])
    audit_record(
        actor=actor,
        action="platforms.subbase_allocation.link_class",
        target=allocation,
        before=before,
        after=snapshot(allocation),
    )
    return allocation


@transaction.atomic
def allocation_class_open(
    *,
    actor: Any,
    allocation: CourseAllocation,
    occupation: Occupation,
    start_date: datetime.date,
    end_date: datetime.date,
) -> CourseAllocation:
    """Open the course's training class in the training app (a project with no per-person project subsidy,
    capacity the allocated places) and link it."""
    from skillcity.training.services.projects import class_create, project_create

    allocation = _locked(allocation)
    require_own(actor, allocation.subbase.organisation_id)
    _require_state(allocation, AllocationState.ALLOCATED)
    project = project_create(
        provider=allocation.subbase.organisation,
        name=allocation.course_name,
        occupation=occupation,
        level=None,
        per_person_standard=Decimal("0"),
        capacity=allocation.places,
        start_date=start_date,
        end_date=end_date,
        actor=actor,
    )
    training_class = class_create(
        project=project,
        name=allocation.course_name[:100],
        start_date=start_date,
        end_date=end_date,
        actor=actor,
    )
    return allocation_class_link(actor=actor, allocation=allocation, training_class=training_class)


def trainees_from_roster(allocation: CourseAllocation) -> tuple[int, str]:
    """The trainees of a course: the completed enrolments of its class, at most the places bought."""
    if allocation.training_class_id is None:
        return 0, _("尚未关联培训班")
    # A list annotates `completed` (selectors.allocations_of_year) so it counts every row in one query.
    completed = getattr(allocation, "completed", None)
    if completed is None:
        completed = Enrolment.objects.filter(
            training_class_id=allocation.training_class_id, status=Enrolment.Status.COMPLETED
        ).count()
    counted = min(completed, allocation.places)
    provenance = _("培训班“%(c)s”花名册：结业学员%(n)s人（购买名额%(p)s个，按%(k)s人计）") % {
        "c": allocation.training_class.name if allocation.training_class else "",
        "n": completed,
        "p": allocation.places,
        "k": counted,
    }
    return counted, provenance


@transaction.atomic
def allocation_accept(
    *,
    actor: Any,
    allocation: CourseAllocation,
    passed: bool,
    note: str = "",
    accepted_on: datetime.date | None = None,
) -> CourseAllocation:
    """The bureau's acceptance of a course once its class has ended; a failure states the reason."""
    require_bureau(actor)
    allocation = _locked(allocation)
    _require_state(allocation, AllocationState.RUNNING)
    day = accepted_on or today()
    if day > today():
        raise DomainError(
            "future_date", _("验收日期不能晚于今天"), {"accepted_on": _("验收日期不能晚于今天")}
        )
    assert allocation.training_class is not None  # RUNNING has its class
    if allocation.training_class.end_date > day:
        message = _("培训班%(d)s结业，结业后才能验收") % {"d": allocation.training_class.end_date.isoformat()}
        raise DomainError("class_not_ended", message, {"accepted_on": message})
    before = snapshot(allocation)
    allocation.acceptance_note = _note(note, required=not passed, label=_("验收意见"))
    allocation.state = AllocationState.ACCEPTED if passed else AllocationState.FAILED
    allocation.accepted_on = day
    allocation.accepted_by = actor
    allocation.save(update_fields=["state", "acceptance_note", "accepted_on", "accepted_by"])
    audit_record(
        actor=actor,
        action="platforms.subbase_allocation.accept" if passed else "platforms.subbase_allocation.fail",
        target=allocation,
        before=before,
        after=snapshot(allocation),
    )
    return allocation


def course_facts(allocation: CourseAllocation) -> tuple[dict[str, Any], dict[str, str]]:
    """TRN-SUBBASE-COURSE's facts, each from its record."""
    trainees, roster = trainees_from_roster(allocation)
    facts = {
        "course_category": allocation.category,
        "accepted": allocation.state == AllocationState.ACCEPTED,
        "trainees": trainees,
    }
    sources = {
        "course_category": _("课程购买名额分配：%(c)s（%(k)s）")
        % {"c": allocation.course_name, "k": allocation.get_category_display()},
        "accepted": _("课程验收记录（%(d)s，%(s)s）")
        % {
            "d": allocation.accepted_on.isoformat() if allocation.accepted_on else "—",
            "s": allocation.get_state_display(),
        },
        "trainees": roster,
    }
    return facts, sources


@transaction.atomic
def allocation_grant_apply(*, actor: Any, allocation: CourseAllocation) -> Application:
    """Make the course's TRN-SUBBASE-COURSE application in grants from the records (the sub-base or the
    bureau); grants refuses a second one while the first stands."""
    allocation = _locked(allocation)
    require_own(actor, allocation.subbase.organisation_id)
    _require_state(allocation, AllocationState.ACCEPTED)
    facts, sources = course_facts(allocation)
    assert allocation.accepted_on is not None
    app = application_from_records(
        actor=actor,
        rule_id=RULE_ID,
        payee=allocation.subbase.organisation,
        event_date=allocation.accepted_on,
        facts=facts,
        fact_sources=sources,
        source_key=source_key(allocation),
    )
    audit_record(
        actor=actor,
        action="platforms.subbase_allocation.grant_apply",
        target=allocation,
        after={"application": app.pk, "facts": facts},
    )
    return app


def grants_for(allocation: CourseAllocation) -> Any:
    return (
        Application.objects.filter(source_key=source_key(allocation))
        .select_related("payment")
        .order_by("-id")
    )
