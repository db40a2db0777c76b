"""校企双制 classes (招生即招工, D004 二(三)): open a class, enrol a student — who is hired and
apprenticed in the same transaction — and bring the rosters back in step after a change made elsewhere.
A student leaving is `apprenticeship_leave`, which releases them from the enterprise too."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.apprenticeship.models import Apprenticeship, DualClass, StudyMode
from skillcity.apprenticeship.selectors import SCHOOL_CATEGORIES, mentor_not_employee
from skillcity.apprenticeship.services import (
    TEXT_MAX,
    Terms,
    _check_period,
    _create,
    _employ,
    _require_manage,
    apprenticeship_leave,
    check_terms,
    may_manage,
)
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, Worker


@transaction.atomic
def dual_class_create(
    *,
    school: Organisation,
    enterprise: Organisation,
    name: str,
    occupation: Occupation,
    level: int,
    start: datetime.date | None,
    end: datetime.date | None,
    school_mentor: str,
    enterprise_mentor: Worker | None,
    actor: Any,
) -> DualClass:
    """An enterprise (or the bureau, or the enterprise's town) opens a 校企双制 class with a school
    (招生即招工). Not the school alone: every student the class enrols becomes the enterprise's employee."""
    if not may_manage(actor, enterprise):
        raise PermissionDenied(_("校企双制班由合作企业或人社部门开设"))
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("请填写“班级名称”")
    elif len(name) > TEXT_MAX["name"]:
        errors["name"] = _("班级名称不能超过100个字符")
    elif DualClass.objects.filter(school=school, name=name).exists():
        errors["name"] = _("班级名称与该院校已有的班级重复")
    if school.category not in SCHOOL_CATEGORIES:
        errors["school"] = _("“院校”应为技工院校、职业院校或职业培训机构")
    if enterprise.category != OrganisationCategory.ENTERPRISE:
        errors["enterprise"] = _("“合作企业”应为企业类单位")
    if level not in (1, 2, 3, 4, 5):
        errors["level"] = _("“目标等级”应为一级至五级")
    _check_period(
        errors,
        start,
        end,
        start_field="start",
        end_field="end",
        start_label=_("开班日期"),
        end_label=_("结业日期"),
        minimum_message=_("结业日期不能早于开班日期后1年：学徒合同和学籍注册均应不少于1年"),
    )
    teacher = (school_mentor or "").strip()
    if not teacher:
        errors["school_mentor"] = _("请填写“学校导师”")
    elif len(teacher) > TEXT_MAX["school_mentor"]:
        errors["school_mentor"] = _("学校导师不能超过50个字符")
    if enterprise_mentor is None:
        errors["enterprise_mentor"] = _("请填写“企业导师”（该企业职工的身份证号码）")
    elif enterprise_mentor.employer_id != enterprise.pk:
        errors["enterprise_mentor"] = mentor_not_employee()
    if errors or start is None or end is None or enterprise_mentor is None:
        raise DomainError("invalid", _("校企双制班信息有误"), errors)
    try:
        # The name check above races another opening of the same name: the unique constraint decides.
        with transaction.atomic():
            dual_class = DualClass.objects.create(
                school=school,
                enterprise=enterprise,
                name=name,
                occupation=occupation,
                level=level,
                start=start,
                end=end,
                school_mentor=teacher,
                enterprise_mentor=enterprise_mentor,
            )
    except IntegrityError:
        message = _("班级名称与该院校已有的班级重复")
        raise DomainError("invalid", message, {"name": message}) from None
    audit_record(
        actor=actor, action="apprenticeship_class.create", target=dual_class, after=snapshot(dual_class)
    )
    return dual_class


@transaction.atomic
def dual_class_enrol(
    *, dual_class: DualClass, worker: Worker, registration_number: str, actor: Any
) -> Apprenticeship:
    """招生即招工: the student joins the class, becomes the enterprise's employee (the registry) and its
    apprentice — all or nothing."""
    dual_class = (
        DualClass.objects.select_for_update().select_related("school", "enterprise").get(pk=dual_class.pk)
    )
    _require_manage(actor, dual_class.enterprise, dual_class.school)
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    start = max(dual_class.start, timezone.localdate())
    # A student joining a running class starts their contract on joining; the class's end stays the
    # end, so a late joiner must still have a year left.
    terms = Terms(
        school=dual_class.school,
        occupation=dual_class.occupation,
        level=dual_class.level,
        contract_start=start,
        contract_end=dual_class.end,
        registration_number=registration_number,
        study_mode=StudyMode.NON_FULL_TIME,
        registration_start=start,
        registration_end=dual_class.end,
        enterprise_mentor=dual_class.enterprise_mentor,
        school_mentor=dual_class.school_mentor,
    )
    if worker.employer_id != dual_class.enterprise_id and not may_manage(actor, dual_class.enterprise):
        # Enrolling hires: only the enterprise itself (or an officer) may make someone its employee.
        raise PermissionDenied(_("只有合作企业或人社部门可以招收尚不是该企业职工的学生"))
    if worker.employer_id not in (None, dual_class.enterprise_id):
        # Not the employer's name: the student's ID number was typed, it must not reveal where they work.
        raise DomainError(
            "employed_elsewhere",
            _("该学生已是其他单位职工，请先办理离职再入班"),
            {"worker": _("学生已是其他单位职工")},
        )
    try:
        check_terms(worker=worker, enterprise=dual_class.enterprise, terms=terms, hiring=True)
    except DomainError as exc:
        if "contract_end" in exc.fields or "registration_end" in exc.fields:
            raise DomainError(
                "too_late",
                _("该班结业日期（%(e)s）距今不足1年，学徒合同和学籍注册均应不少于1年，不能再入班")
                % {"e": dual_class.end},
                {"worker": _("入班时距结业不足1年")},
            ) from None
        raise
    if worker.employer_id != dual_class.enterprise_id:
        _employ(worker=worker, enterprise=dual_class.enterprise, actor=actor)
    return _create(
        worker=worker, enterprise=dual_class.enterprise, terms=terms, actor=actor, dual_class=dual_class
    )


@transaction.atomic
def dual_class_resolve_drift(*, dual_class: DualClass, actor: Any) -> int:
    """Bring the rosters back in step after a change made elsewhere: each student the registry no
    longer shows at the enterprise leaves the class too (dated today). Returns how many left."""
    from skillcity.apprenticeship.selectors import class_drift

    dual_class = DualClass.objects.select_related("school", "enterprise").get(pk=dual_class.pk)
    _require_manage(actor, dual_class.enterprise, dual_class.school)
    lines = class_drift(dual_class)
    for line in lines:
        apprenticeship_leave(
            apprenticeship=line.apprenticeship,
            left_on=timezone.localdate(),
            reason=_("已不是合作企业职工（名册同步）"),
            actor=actor,
        )
    return len(lines)
