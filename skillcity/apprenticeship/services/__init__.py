"""Every apprenticeship write: one function per action, one transaction, one audit row.

Rules (D001 三(三)3, D004 二(三); docs/apprenticeship.md):
- the apprentice is an employee of the enterprise (a 校企双制 class hires them as it enrols them);
- the apprenticeship contract runs at least one year;
- the school registration is non-full-time and runs at least one year;
- the enterprise mentor is a worker of the enterprise (other than the apprentice); the school mentor
  is a teacher named by the school;
- the assessment is a candidacy in a certification session, added by the certification services (the
  evaluator acts); the certificate is read from it, never typed.
Nothing is paid: the documents set no amount for the apprenticeship itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.apprenticeship.models import Apprenticeship, DualClass, Progress, StudyMode
from skillcity.apprenticeship.selectors import SCHOOL_CATEGORIES, mentor_not_employee
from skillcity.core.access import _role
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.employment.selectors import add_months
from skillcity.policy.rules.education import add_years
from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, Worker

FIRST_DAY = datetime.date(2015, 1, 1)  # the new-style apprenticeship's national pilots began in 2015
LONGEST_YEARS = 6  # a contract or a registration longer than this is a typing error
TEXT_MAX = {"registration_number": 40, "school_mentor": 50, "leave_reason": 200, "content": 500, "name": 100}


def one_year_after(day: datetime.date) -> datetime.date:
    """The same day a year later (29 February → 28 February)."""
    return add_years(day, 1)


def may_manage(actor: Any, enterprise: Organisation, school: Organisation | None = None) -> bool:
    """The bureau; a town officer of the enterprise's town; a user of the enterprise (or, for a class's
    students and progress, of the school)."""
    role = _role(actor)
    if role == "bureau_officer":
        return True
    if role == "town_officer":
        return bool(actor.town_id and actor.town_id == enterprise.town_id)
    if role == "organisation_user":
        return bool(actor.organisation_id) and actor.organisation_id in (
            enterprise.pk,
            school.pk if school is not None else None,
        )
    return False


def _require_manage(actor: Any, enterprise: Organisation, school: Organisation | None = None) -> None:
    if not may_manage(actor, enterprise, school):
        raise PermissionDenied(_("您无权管理该企业的学徒"))


def _check_period(
    errors: dict[str, str],
    start: datetime.date | None,
    end: datetime.date | None,
    *,
    start_field: str,
    end_field: str,
    start_label: str,
    end_label: str,
    minimum_message: str,
) -> None:
    if start is None:
        errors[start_field] = _("请填写“%(l)s”") % {"l": start_label}
    if end is None:
        errors[end_field] = _("请填写“%(l)s”") % {"l": end_label}
    if start is None or end is None:
        return
    latest = add_years(timezone.localdate(), 1)
    if start < FIRST_DAY or start > latest:
        errors[start_field] = _("%(l)s应在%(a)s至%(b)s之间") % {"l": start_label, "a": FIRST_DAY, "b": latest}
    elif end < one_year_after(start):
        errors[end_field] = minimum_message
    elif end > add_years(start, LONGEST_YEARS):
        errors[end_field] = _("%(l)s不能晚于开始日期后%(n)s年") % {"l": end_label, "n": LONGEST_YEARS}


REGISTRATION_LEAD_MONTHS = 3  # the school registration begins within 3 months of the contract's start


def _check_registration_follows_contract(errors: dict[str, str], terms: Terms) -> None:
    """The registration serves the contract (D001 三(三)3 企校双师联合培养): the two periods overlap and
    the registration starts within 3 months of the contract's start, before or after."""
    if errors.keys() & {"contract_start", "contract_end", "registration_start", "registration_end"}:
        return
    c_start, c_end = terms.contract_start, terms.contract_end
    r_start, r_end = terms.registration_start, terms.registration_end
    if c_start is None or c_end is None or r_start is None or r_end is None:
        return
    lead = REGISTRATION_LEAD_MONTHS
    if r_start > c_end or r_end < c_start:
        errors["registration_start"] = _("学籍注册期间应与学徒合同期限重叠")
    elif not add_months(c_start, -lead) <= r_start <= add_months(c_start, lead):
        errors["registration_start"] = _(
            "学籍注册开始日期应在学徒合同开始日期前后%(n)s个月内（%(a)s至%(b)s）"
        ) % {
            "n": lead,
            "a": add_months(c_start, -lead),
            "b": add_months(c_start, lead),
        }


@dataclass(frozen=True)
class Terms:
    """What an enrolment says: the contract, the registration, the mentors and the plan."""

    school: Organisation
    occupation: Occupation
    level: int
    contract_start: datetime.date | None
    contract_end: datetime.date | None
    registration_number: str
    study_mode: str
    registration_start: datetime.date | None
    registration_end: datetime.date | None
    enterprise_mentor: Worker | None
    school_mentor: str


def check_terms(*, worker: Worker, enterprise: Organisation, terms: Terms, hiring: bool = False) -> None:
    """Every reason the enrolment is refused, each under its field and naming its label."""
    errors: dict[str, str] = {}
    if enterprise.category != OrganisationCategory.ENTERPRISE:
        errors["enterprise"] = _("“企业”应为企业类单位，“%(n)s”不是") % {"n": enterprise.name}
    if not hiring and worker.employer_id != enterprise.pk:
        errors["worker"] = _("学徒应为该企业职工：平台登记中%(w)s的工作单位不是“%(e)s”") % {
            "w": worker.name,
            "e": enterprise.name,
        }
    if terms.school.category not in SCHOOL_CATEGORIES:
        errors["school"] = _("“院校或培训机构”应为技工院校、职业院校或职业培训机构")
    if terms.level not in (1, 2, 3, 4, 5):
        errors["level"] = _("“目标等级”应为一级至五级")
    if not terms.occupation.has_levels or not terms.occupation.active:
        errors["occupation"] = _("“培养职业（工种）”应为设有技能等级的现行职业")
    _check_period(
        errors,
        terms.contract_start,
        terms.contract_end,
        start_field="contract_start",
        end_field="contract_end",
        start_label=_("学徒合同开始日期"),
        end_label=_("学徒合同结束日期"),
        minimum_message=_("学徒合同期限应不少于1年：学徒合同结束日期不能早于开始日期后1年"),
    )
    if terms.study_mode != StudyMode.NON_FULL_TIME:
        errors["study_mode"] = _("学习形式应为非全日制：企业新型学徒的学籍为非全日制学籍（D001 三(三)3）")
    _check_period(
        errors,
        terms.registration_start,
        terms.registration_end,
        start_field="registration_start",
        end_field="registration_end",
        start_label=_("学籍注册开始日期"),
        end_label=_("学籍注册结束日期"),
        minimum_message=_("学籍注册期限应不少于1年：学籍注册结束日期不能早于开始日期后1年（D001 三(三)3）"),
    )
    _check_registration_follows_contract(errors, terms)
    number = terms.registration_number.strip()
    if not number:
        errors["registration_number"] = _("请填写“学籍号”")
    elif len(number) > TEXT_MAX["registration_number"]:
        errors["registration_number"] = _("学籍号不能超过40个字符")
    mentor = terms.enterprise_mentor
    if mentor is None:
        errors["enterprise_mentor"] = _("请填写“企业导师”（该企业职工的身份证号码）")
    elif mentor.pk == worker.pk:
        errors["enterprise_mentor"] = _("企业导师不能是学徒本人")
    elif mentor.employer_id != enterprise.pk:
        # Not the mentor's name nor their employer: the ID number was typed, it must not reveal them.
        errors["enterprise_mentor"] = mentor_not_employee()
    teacher = terms.school_mentor.strip()
    if not teacher:
        errors["school_mentor"] = _("请填写“学校导师”")
    elif len(teacher) > TEXT_MAX["school_mentor"]:
        errors["school_mentor"] = _("学校导师不能超过50个字符")
    if errors:
        raise DomainError("invalid", _("学徒信息有误"), errors)


def _employ(*, worker: Worker, enterprise: Organisation | None, actor: Any) -> None:
    """Hire or release through the registry's own write (its audit row)."""
    from skillcity.registry.services import worker_update

    worker_update(worker=worker, data={"employer": enterprise.uscc if enterprise else ""}, actor=actor)
    worker.refresh_from_db(fields=["employer"])


def _create(
    *, worker: Worker, enterprise: Organisation, terms: Terms, actor: Any, dual_class: DualClass | None
) -> Apprenticeship:
    if Apprenticeship.objects.filter(
        worker=worker, enterprise=enterprise, left_on__isnull=True, candidate__isnull=True
    ).exists():
        raise Conflict("already_apprentice", _("%(w)s已是该企业在培学徒") % {"w": worker.name})
    # check_terms has refused missing values.
    assert terms.enterprise_mentor is not None and terms.contract_start and terms.contract_end
    assert terms.registration_start and terms.registration_end
    try:
        with transaction.atomic():
            apprenticeship = Apprenticeship.objects.create(
                worker=worker,
                enterprise=enterprise,
                school=terms.school,
                dual_class=dual_class,
                contract_start=terms.contract_start,
                contract_end=terms.contract_end,
                registration_number=terms.registration_number.strip(),
                study_mode=terms.study_mode,
                registration_start=terms.registration_start,
                registration_end=terms.registration_end,
                enterprise_mentor=terms.enterprise_mentor,
                school_mentor=terms.school_mentor.strip(),
                occupation=terms.occupation,
                level=terms.level,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise Conflict("already_apprentice", _("%(w)s已是该企业在培学徒") % {"w": worker.name}) from None
    audit_record(
        actor=actor, action="apprenticeship.enrol", target=apprenticeship, after=snapshot(apprenticeship)
    )
    return apprenticeship


@transaction.atomic
def apprenticeship_enrol(
    *, worker: Worker, enterprise: Organisation, terms: Terms, actor: Any
) -> Apprenticeship:
    """An enterprise and a school enrol one of the enterprise's employees as a new-style apprentice."""
    _require_manage(actor, enterprise)
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    check_terms(worker=worker, enterprise=enterprise, terms=terms)
    return _create(worker=worker, enterprise=enterprise, terms=terms, actor=actor, dual_class=None)


@transaction.atomic
def progress_record(
    *,
    apprenticeship: Apprenticeship,
    date: datetime.date | None,
    place: str,
    hours: Any,
    content: str,
    actor: Any,
) -> Progress:
    # Lock the apprenticeship first: a leaving recorded at the same moment must not let an entry in
    # after the leaving date.
    apprenticeship = (
        Apprenticeship.objects.select_for_update(of=("self",))
        .select_related("enterprise", "school")
        .get(pk=apprenticeship.pk)
    )
    _require_manage(actor, apprenticeship.enterprise, apprenticeship.school)
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = _("请填写“日期”")
    elif date < apprenticeship.contract_start or date > timezone.localdate():
        errors["date"] = _("日期应在学徒合同开始日期（%(s)s）至今天之间") % {
            "s": apprenticeship.contract_start
        }
    if place not in Progress.Place.values:
        errors["place"] = _("请选择“培训地点”")
    try:
        hours = int(hours)
    except (TypeError, ValueError):
        errors["hours"] = _("学时应为1-24的整数")
    else:
        if not 1 <= hours <= 24:
            errors["hours"] = _("学时应为1-24的整数")
    content = (content or "").strip()
    if not content:
        errors["content"] = _("请填写“培训内容”")
    elif len(content) > TEXT_MAX["content"]:
        errors["content"] = _("培训内容不能超过500个字符")
    if apprenticeship.left_on is not None:
        raise Conflict("left", _("该学徒已退出，不能再记录培训进度"))
    if errors or date is None:
        raise DomainError("invalid", _("培训进度有误"), errors)
    entry = Progress.objects.create(
        apprenticeship=apprenticeship,
        date=date,
        place=place,
        hours=hours,
        content=content,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="apprenticeship.progress", target=apprenticeship, after=snapshot(entry))
    return entry


@transaction.atomic
def apprenticeship_assess(*, apprenticeship: Apprenticeship, session: Any, actor: Any) -> Apprenticeship:
    """The final assessment: the apprentice becomes a candidate of a certification session of the plan's
    occupation and level, through the certification services (the evaluator, or the bureau, acts)."""
    from skillcity.certification.services import candidate_add

    apprenticeship = Apprenticeship.objects.select_for_update().get(pk=apprenticeship.pk)
    if apprenticeship.left_on is not None:
        raise Conflict("left", _("该学徒已退出，不能参加考核"))
    if apprenticeship.candidate_id is not None:
        raise Conflict("already_assessed", _("该学徒已报名考核"))
    if session.occupation_id != apprenticeship.occupation_id or session.level != apprenticeship.level:
        raise DomainError(
            "session_mismatch",
            _("考核批次应为培养计划的职业和等级：%(o)s %(l)s")
            % {"o": apprenticeship.occupation.name, "l": apprenticeship.get_level_display()},
            {"session": _("考核批次的职业或等级与培养计划不符")},
        )
    candidate = candidate_add(session=session, worker=apprenticeship.worker, actor=actor)
    before = snapshot(apprenticeship)
    apprenticeship.candidate = candidate
    apprenticeship.save(update_fields=["candidate"])
    audit_record(
        actor=actor,
        action="apprenticeship.assess",
        target=apprenticeship,
        before=before,
        after=snapshot(apprenticeship),
    )
    return apprenticeship


@transaction.atomic
def apprenticeship_leave(
    *, apprenticeship: Apprenticeship, left_on: datetime.date | None, reason: str, actor: Any
) -> Apprenticeship:
    """The apprentice leaves. A 校企双制 student leaves both rosters: the class and the enterprise
    (the registry's employer is cleared, if it is still the class's enterprise)."""
    apprenticeship = (
        Apprenticeship.objects.select_for_update()
        .select_related("enterprise", "school")
        .get(pk=apprenticeship.pk)
    )
    _require_manage(
        actor, apprenticeship.enterprise, apprenticeship.school if apprenticeship.dual_class_id else None
    )
    if apprenticeship.left_on is not None:
        raise Conflict("already_left", _("该学徒已退出"))
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if left_on is None:
        errors["left_on"] = _("请填写“退出日期”")
    elif left_on < min(apprenticeship.contract_start, timezone.localdate()) or left_on > timezone.localdate():
        errors["left_on"] = _("退出日期应在学徒合同开始日期（%(s)s）至今天之间") % {
            "s": apprenticeship.contract_start
        }
    if not reason:
        errors["leave_reason"] = _("请填写“退出原因”")
    elif len(reason) > TEXT_MAX["leave_reason"]:
        errors["leave_reason"] = _("退出原因不能超过200个字符")
    if errors:
        raise DomainError("invalid", _("退出信息有误"), errors)
    before = snapshot(apprenticeship)
    apprenticeship.left_on = left_on
    apprenticeship.leave_reason = reason
    apprenticeship.save(update_fields=["left_on", "leave_reason"])
    worker = apprenticeship.worker
    if apprenticeship.dual_class_id is not None and worker.employer_id == apprenticeship.enterprise_id:
        _employ(worker=worker, enterprise=None, actor=actor)
    audit_record(
        actor=actor,
        action="apprenticeship.leave",
        target=apprenticeship,
        before=before,
        after=snapshot(apprenticeship),
    )
    return apprenticeship
