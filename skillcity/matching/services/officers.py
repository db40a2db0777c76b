"""Employment service officers (D002 item 18: 健全就业服务专员制度) and job fairs.

The bureau assigns any officer (a bureau or town officer) any enterprise or job seeker; a town officer
assigns, within their town, the officers of their town. The assigned officer records follow-ups: the
date, the way, what was done and the next step. Fairs are set up by the bureau or, in their town, a
town officer, who also add the enterprises taking part.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from skillcity.core.access import require_role
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.matching.models import Assignment, FairEnterprise, FollowUp, JobFair
from skillcity.registry.models import Organisation, OrganisationCategory, Town, Worker

OFFICERS = ("bureau_officer", "town_officer")
TEXT_MAX = 500


def _can_manage_town(actor: Any, town_id: int) -> bool:
    return actor.role == "bureau_officer" or (actor.role == "town_officer" and actor.town_id == town_id)


@transaction.atomic
def assignment_create(
    *, actor: Any, officer: Any, enterprise: Organisation | None = None, worker: Worker | None = None
) -> Assignment:
    require_role(actor, *OFFICERS)
    if (enterprise is None) == (worker is None):
        raise DomainError(
            "invalid", _("请选择一家企业或一名求职者"), {"subject": _("请选择一家企业或一名求职者")}
        )
    if officer.role not in OFFICERS or not officer.is_active:
        raise DomainError(
            "invalid",
            _("就业服务专员应为市局或镇街的工作人员"),
            {"officer": _("就业服务专员应为市局或镇街的工作人员")},
        )
    town_id = enterprise.town_id if enterprise is not None else worker.town_id  # type: ignore[union-attr]
    if enterprise is not None and enterprise.category != OrganisationCategory.ENTERPRISE:
        raise DomainError("invalid", _("只能分配企业"), {"subject": _("只能分配企业")})
    if actor.role == "town_officer" and town_id != actor.town_id:
        # The same words as "not registered": a town officer must not learn who is registered elsewhere.
        raise DomainError("not_found", _("未找到或不在您的范围内"), {"subject": _("未找到或不在您的范围内")})
    if officer.role == "town_officer" and officer.town_id != town_id:
        # A town officer sees only their town's records: assigned elsewhere, they could not open it.
        raise DomainError(
            "invalid",
            _("该专员不属于该对象所在镇街，无法查看其记录"),
            {"officer": _("该专员不属于该对象所在镇街，无法查看其记录")},
        )
    if actor.role == "town_officer" and (officer.role != "town_officer" or officer.town_id != actor.town_id):
        raise DomainError("invalid", _("只能分配给本镇街的专员"), {"officer": _("只能分配给本镇街的专员")})
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                officer=officer, enterprise=enterprise, worker=worker, town_id=town_id, assigned_by=actor
            )
    except IntegrityError:
        raise DomainError(
            "duplicate", _("该对象已分配给这位专员"), {"subject": _("该对象已分配给这位专员")}, status=409
        ) from None
    audit_record(
        actor=actor, action="matching.assignment.create", target=assignment, after=snapshot(assignment)
    )
    return assignment


@transaction.atomic
def assignment_end(*, actor: Any, assignment: Assignment) -> Assignment:
    if not _can_manage_town(actor, assignment.town_id):
        raise PermissionDenied(_("您无权结束该服务"))
    if assignment.active:
        assignment.active = False
        assignment.save(update_fields=["active"])
        audit_record(actor=actor, action="matching.assignment.end", target=assignment)
    return assignment


@transaction.atomic
def follow_up_record(
    *,
    actor: Any,
    assignment: Assignment,
    date: datetime.date,
    way: str,
    done: str,
    next_step: str = "",
    next_date: datetime.date | None = None,
) -> FollowUp:
    """The assigned officer records a follow-up with an enterprise or a job seeker."""
    if assignment.officer_id != actor.pk or not assignment.active:
        raise PermissionDenied(_("只有负责该服务对象的专员可以记录跟进"))
    errors: dict[str, str] = {}
    if way not in FollowUp.Way.values:
        errors["way"] = _("请选择跟进方式")
    done = done.strip()
    if not done:
        errors["done"] = _("请填写跟进内容")
    for name, value in (("done", done), ("next_step", next_step)):
        if len(value) > TEXT_MAX and name not in errors:
            errors[name] = _("%(label)s不能超过%(n)s个字符") % {
                "label": getattr(FollowUp._meta.get_field(name), "verbose_name", name),
                "n": TEXT_MAX,
            }
    if not datetime.date(2000, 1, 1) <= date <= datetime.date(2100, 12, 31):
        errors["date"] = _("跟进日期应在2000年至2100年之间")
    if next_date is not None and next_date < date:
        errors["next_date"] = _("下次跟进日期不能早于跟进日期")
    if next_date is not None and next_date > datetime.date(2100, 12, 31):
        errors["next_date"] = _("下次跟进日期应在2100年以前")
    if errors:
        raise DomainError("invalid", _("跟进记录填写有误"), errors)
    follow_up = FollowUp.objects.create(
        assignment=assignment,
        date=date,
        way=way,
        done=done,
        next_step=next_step.strip(),
        next_date=next_date,
        recorded_by=actor,
    )
    audit_record(actor=actor, action="matching.follow_up.record", target=follow_up, after=snapshot(follow_up))
    return follow_up


@transaction.atomic
def fair_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    town: Town,
    venue: str,
) -> JobFair:
    require_role(actor, *OFFICERS)
    if not _can_manage_town(actor, town.pk):
        raise PermissionDenied(_("镇街专员只能举办本镇街的招聘会"))
    errors: dict[str, str] = {}
    name, venue = name.strip(), venue.strip()
    if not name:
        errors["name"] = _("请填写招聘会名称")
    elif len(name) > 100:
        errors["name"] = _("招聘会名称不能超过100个字符")
    if kind not in JobFair.Kind.values:
        errors["kind"] = _("请选择招聘会类型")
    if not venue:
        errors["venue"] = _("请填写举办地点")
    elif len(venue) > 200:
        errors["venue"] = _("举办地点不能超过200个字符")
    if not datetime.date(2000, 1, 1) <= starts_on <= datetime.date(2100, 12, 31):
        errors["starts_on"] = _("开始日期应在2000年至2100年之间")
    if ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期")
    elif (ends_on - starts_on).days > 90:
        errors["ends_on"] = _("一场招聘会最长90天")
    if errors:
        raise DomainError("invalid", _("招聘会填写有误"), errors)
    fair = JobFair.objects.create(
        name=name, kind=kind, starts_on=starts_on, ends_on=ends_on, town=town, venue=venue, created_by=actor
    )
    audit_record(actor=actor, action="matching.fair.create", target=fair, after=snapshot(fair))
    return fair


@transaction.atomic
def fair_enterprise_add(
    *, actor: Any, fair: JobFair, enterprise: Organisation, booth: str = ""
) -> FairEnterprise:
    if not _can_manage_town(actor, fair.town_id):
        raise PermissionDenied(_("您无权管理该招聘会"))
    if enterprise.category != OrganisationCategory.ENTERPRISE:
        raise DomainError("invalid", _("参会单位应为企业"), {"enterprise": _("参会单位应为企业")})
    if len(booth.strip()) > 20:
        raise DomainError("invalid", _("展位不能超过20个字符"), {"booth": _("展位不能超过20个字符")})
    try:
        with transaction.atomic():
            entry = FairEnterprise.objects.create(fair=fair, enterprise=enterprise, booth=booth.strip())
    except IntegrityError:
        raise DomainError(
            "duplicate", _("该企业已在参会名单中"), {"enterprise": _("该企业已在参会名单中")}, status=409
        ) from None
    audit_record(
        actor=actor,
        action="matching.fair.enterprise_add",
        target=fair,
        after={"enterprise": enterprise.pk, "booth": entry.booth},
    )
    return entry
