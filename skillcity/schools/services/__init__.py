"""Services of the schools: every write is one transaction with an audit row.

Who acts: the bureau registers a school (from a registry Organisation of category 技工院校/职业院校) and
selects demonstration majors; the school's own organisation user (or the bureau) keeps its majors,
international classes and students, graduation records and its yearly social-training report.
The rolls import is in services.rolls, the grants applications from records in services.grants.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import require_role
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.bounds import DATE_MIN, HEADCOUNT_MAX, YEAR_MAX, YEAR_MIN, text_length_errors
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.money import MONEY_MAX
from skillcity.registry.models import Organisation, OrganisationCategory, Worker
from skillcity.schools.models import (
    ClassKind,
    Graduation,
    IndustryFit,
    InternationalClass,
    InternationalStudent,
    Major,
    Ownership,
    School,
    SchoolKind,
    SocialTrainingReport,
)

BUREAU = "bureau_officer"
SCHOOL_CATEGORIES = {
    OrganisationCategory.TECHNICAL_SCHOOL: SchoolKind.TECHNICAL,
    OrganisationCategory.VOCATIONAL_COLLEGE: SchoolKind.VOCATIONAL,
}


def is_bureau(actor: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False) or getattr(actor, "role", None) == BUREAU)


def require_school_actor(actor: Any, school: School) -> None:
    """The school's own organisation user, or the bureau."""
    if is_bureau(actor):
        return
    if (
        getattr(actor, "role", None) == "organisation_user"
        and actor.organisation_id == school.organisation_id
    ):
        return
    raise PermissionDenied(_("只有本校单位用户或市人社局可以办理"))


def _year(year: Any, field: str = "year") -> int:
    if not isinstance(year, int) or isinstance(year, bool) or not YEAR_MIN <= year <= YEAR_MAX:
        raise DomainError(
            "bad_year",
            _("年度应在 %(a)s–%(b)s 之间") % {"a": YEAR_MIN, "b": YEAR_MAX},
            {field: _("年度超出范围")},
        )
    return year


def _length(model: Any, values: dict[str, Any]) -> None:
    errors = text_length_errors(model, values)
    if errors:
        raise DomainError("too_long", _("内容过长"), errors)


def _required(values: dict[str, str], labels: dict[str, str]) -> None:
    missing = {
        name: _("请填写%(l)s") % {"l": labels[name]} for name, value in values.items() if not value.strip()
    }
    if missing:
        raise DomainError("required", _("请填写必填项"), missing)


# --- schools ------------------------------------------------------------------------------------


@transaction.atomic
def school_register(*, actor: Any, organisation: Organisation, ownership: str) -> School:
    require_role(actor, BUREAU)
    kind = (
        SCHOOL_CATEGORIES.get(OrganisationCategory(organisation.category))
        if organisation.category in OrganisationCategory.values
        else None
    )
    if kind is None:
        raise DomainError(
            "not_a_school",
            _("“%(o)s”的单位类别不是技工院校或职业院校") % {"o": organisation.name},
            {"organisation": _("请选择技工院校或职业院校")},
        )
    if ownership not in Ownership.values:
        raise DomainError("bad_ownership", _("办学性质应为公办或民办"), {"ownership": _("请选择公办或民办")})
    if School.objects.filter(organisation=organisation).exists():
        raise DomainError(
            "already_school",
            _("“%(o)s”已登记为院校") % {"o": organisation.name},
            {"organisation": _("已登记")},
            status=409,
        )
    school = School.objects.create(organisation=organisation, kind=kind, ownership=ownership)
    audit_record(actor=actor, action="schools.school.register", target=school, after=snapshot(school))
    return school


@transaction.atomic
def school_update(*, actor: Any, school: School, ownership: str) -> School:
    require_role(actor, BUREAU)
    if ownership not in Ownership.values:
        raise DomainError("bad_ownership", _("办学性质应为公办或民办"), {"ownership": _("请选择公办或民办")})
    school = School.objects.select_for_update().get(pk=school.pk)
    before = snapshot(school)
    school.ownership = ownership
    school.save(update_fields=["ownership"])
    audit_record(
        actor=actor, action="schools.school.update", target=school, before=before, after=snapshot(school)
    )
    return school


# --- majors ---------------------------------------------------------------------------------------


def _major_values(name: str, code: str, industry_fit: str) -> tuple[str, str]:
    name, code = (name or "").strip(), (code or "").strip()
    _required({"name": name}, {"name": _("专业名称")})
    _length(Major, {"name": name, "code": code})
    if industry_fit not in IndustryFit.values:
        raise DomainError("bad_fit", _("请选择专业对接的产业"), {"industry_fit": _("请选择对接产业")})
    return name, code


@transaction.atomic
def major_create(
    *,
    actor: Any,
    school: School,
    name: str,
    code: str = "",
    industry_fit: str,
    enterprise_training: bool = False,
) -> Major:
    require_school_actor(actor, school)
    name, code = _major_values(name, code, industry_fit)
    if Major.objects.filter(school=school, name=name).exists():
        raise DomainError(
            "major_exists", _("本校已有专业“%(n)s”") % {"n": name}, {"name": _("专业名称重复")}, status=409
        )
    major = Major.objects.create(
        school=school,
        name=name,
        code=code,
        industry_fit=industry_fit,
        enterprise_training=bool(enterprise_training),
    )
    audit_record(actor=actor, action="schools.major.create", target=major, after=snapshot(major))
    return major


@transaction.atomic
def major_update(
    *, actor: Any, major: Major, name: str, code: str = "", industry_fit: str, enterprise_training: bool
) -> Major:
    major = Major.objects.select_for_update().select_related("school").get(pk=major.pk)
    require_school_actor(actor, major.school)
    name, code = _major_values(name, code, industry_fit)
    if Major.objects.filter(school=major.school, name=name).exclude(pk=major.pk).exists():
        raise DomainError(
            "major_exists", _("本校已有专业“%(n)s”") % {"n": name}, {"name": _("专业名称重复")}, status=409
        )
    before = snapshot(major)
    major.name, major.code, major.industry_fit = name, code, industry_fit
    major.enterprise_training = bool(enterprise_training)
    major.save(update_fields=["name", "code", "industry_fit", "enterprise_training"])
    audit_record(
        actor=actor, action="schools.major.update", target=major, before=before, after=snapshot(major)
    )
    return major


@transaction.atomic
def major_set_demonstration(*, actor: Any, major: Major, demonstration: bool) -> Major:
    """The bureau selects (or drops) a demonstration major (入选示范性专业, EDU-DEMO-MAJOR)."""
    require_role(actor, BUREAU)
    major = Major.objects.select_for_update().get(pk=major.pk)
    before = snapshot(major)
    major.demonstration = bool(demonstration)
    major.save(update_fields=["demonstration"])
    audit_record(
        actor=actor, action="schools.major.demonstration", target=major, before=before, after=snapshot(major)
    )
    return major


# --- international classes and their students -----------------------------------------------------


@transaction.atomic
def intl_class_create(
    *, actor: Any, major: Major, name: str, year: int, curriculum: str
) -> InternationalClass:
    school = major.school
    require_school_actor(actor, school)
    name, curriculum = (name or "").strip(), (curriculum or "").strip()
    _required(
        {"name": name, "curriculum": curriculum}, {"name": _("班级名称"), "curriculum": _("国际课程体系")}
    )
    _length(InternationalClass, {"name": name, "curriculum": curriculum})
    year = _year(year)
    if InternationalClass.objects.filter(school=school, year=year, name=name).exists():
        raise DomainError(
            "class_exists",
            _("%(y)s年度已有班级“%(n)s”") % {"y": year, "n": name},
            {"name": _("班级名称重复")},
            status=409,
        )
    intl_class = InternationalClass.objects.create(
        school=school, major=major, name=name, year=year, curriculum=curriculum
    )
    audit_record(
        actor=actor, action="schools.intl_class.create", target=intl_class, after=snapshot(intl_class)
    )
    return intl_class


def worker_by_id_number(id_number: str, name: str) -> Worker:
    """A registered worker by ID number; the name must match (a guard against a typo in the number)."""
    id_number, name = (id_number or "").strip().upper(), (name or "").strip()
    _required({"id_number": id_number, "name": name}, {"id_number": _("身份证号码"), "name": _("姓名")})
    worker = Worker.objects.filter(id_number=id_number).first()
    if worker is None:
        raise DomainError(
            "no_worker",
            _("平台登记中没有该身份证号码的劳动者"),
            {"id_number": _("平台登记中没有该身份证号码的劳动者")},
        )
    if worker.name != name:
        raise DomainError(
            "name_mismatch", _("姓名与登记不一致"), {"name": _("与该身份证号码登记的姓名不一致")}
        )
    return worker


def _certificate(name: str, number: str, day: datetime.date | None) -> tuple[str, str, datetime.date | None]:
    name, number = (name or "").strip(), (number or "").strip()
    _length(InternationalStudent, {"certificate_name": name, "certificate_number": number})
    given = [bool(name), bool(number), day is not None]
    if any(given) and not all(given):
        fields = {
            f: _("取得证书时证书名称、编号和取证日期都要填写")
            for f, ok in zip(
                ("certificate_name", "certificate_number", "certificate_date"), given, strict=True
            )
            if not ok
        }
        raise DomainError("certificate_incomplete", _("证书信息不完整"), fields)
    if day is not None and not DATE_MIN <= day <= timezone.localdate():
        raise DomainError("bad_date", _("取证日期不能晚于今天"), {"certificate_date": _("不能晚于今天")})
    return name, number, day


@transaction.atomic
def intl_student_add(
    *,
    actor: Any,
    intl_class: InternationalClass,
    worker: Worker,
    certificate_name: str = "",
    certificate_number: str = "",
    certificate_date: datetime.date | None = None,
) -> InternationalStudent:
    require_school_actor(actor, intl_class.school)
    name, number, day = _certificate(certificate_name, certificate_number, certificate_date)
    if InternationalStudent.objects.filter(intl_class=intl_class, worker=worker).exists():
        raise DomainError(
            "student_exists",
            _("%(w)s 已在该班名单中") % {"w": worker.name},
            {"id_number": _("已在名单中")},
            status=409,
        )
    student = InternationalStudent.objects.create(
        intl_class=intl_class,
        worker=worker,
        certificate_name=name,
        certificate_number=number,
        certificate_date=day,
    )
    audit_record(actor=actor, action="schools.intl_student.add", target=student, after=snapshot(student))
    return student


@transaction.atomic
def intl_certificate_record(
    *,
    actor: Any,
    student: InternationalStudent,
    certificate_name: str,
    certificate_number: str,
    certificate_date: datetime.date | None,
) -> InternationalStudent:
    student = (
        InternationalStudent.objects.select_for_update()
        .select_related("intl_class__school")
        .get(pk=student.pk)
    )
    require_school_actor(actor, student.intl_class.school)
    name, number, day = _certificate(certificate_name, certificate_number, certificate_date)
    if not number:
        raise DomainError(
            "certificate_required", _("请填写证书信息"), {"certificate_number": _("请填写证书编号")}
        )
    before = snapshot(student)
    student.certificate_name, student.certificate_number, student.certificate_date = name, number, day
    student.save(update_fields=["certificate_name", "certificate_number", "certificate_date"])
    audit_record(
        actor=actor,
        action="schools.intl_student.certificate",
        target=student,
        before=before,
        after=snapshot(student),
    )
    return student


# --- graduation records ---------------------------------------------------------------------------


@transaction.atomic
def graduation_record(
    *,
    actor: Any,
    major: Major,
    worker: Worker,
    class_kind: str,
    graduated_on: datetime.date,
    certificate_number: str = "",
) -> Graduation:
    school = major.school
    require_school_actor(actor, school)
    if class_kind not in ClassKind.values:
        raise DomainError("bad_class", _("请选择毕业班级"), {"class_kind": _("请选择毕业班级")})
    if not DATE_MIN <= graduated_on <= timezone.localdate():
        raise DomainError("bad_date", _("毕业日期不能晚于今天"), {"graduated_on": _("不能晚于今天")})
    number = (certificate_number or "").strip()
    _length(Graduation, {"certificate_number": number})
    if Graduation.objects.filter(school=school, worker=worker, class_kind=class_kind).exists():
        raise DomainError(
            "graduation_exists",
            _("%(w)s 在本校%(k)s的毕业记录已存在") % {"w": worker.name, "k": ClassKind(class_kind).label},
            {"id_number": _("毕业记录已存在")},
            status=409,
        )
    try:
        with transaction.atomic():
            graduation = Graduation.objects.create(
                school=school,
                major=major,
                worker=worker,
                class_kind=class_kind,
                graduated_on=graduated_on,
                certificate_number=number,
                recorded_by=actor,
            )
    except IntegrityError:
        raise DomainError(
            "graduation_exists", _("毕业记录已存在"), {"id_number": _("毕业记录已存在")}, status=409
        ) from None
    audit_record(
        actor=actor, action="schools.graduation.record", target=graduation, after=snapshot(graduation)
    )
    return graduation


# --- the yearly social-training report (public schools) -------------------------------------------


@transaction.atomic
def social_report_file(
    *, actor: Any, school: School, year: int, income: Decimal, costs: Decimal, person_times: int
) -> SocialTrainingReport:
    """File (or correct, while no grants application stands for it) a public school's yearly report."""
    from skillcity.grants.services.records import standing_for_source
    from skillcity.schools.selectors import source_key

    require_school_actor(actor, school)
    if school.ownership != Ownership.PUBLIC:
        raise DomainError("not_public", _("社会化培训收入报告只由公办院校填报"), status=409)
    year = _year(year)
    errors = {}
    for field, value, label in (("income", income, _("社会化培训收入")), ("costs", costs, _("合理成本"))):
        if not isinstance(value, Decimal) or not Decimal(0) <= value <= MONEY_MAX:
            errors[field] = _("%(l)s应在 0–%(m)s 元之间") % {"l": label, "m": MONEY_MAX}
    if not isinstance(person_times, int) or not 0 <= person_times <= HEADCOUNT_MAX:
        errors["person_times"] = _("培训人次应在 0–%(m)s 之间") % {"m": HEADCOUNT_MAX}
    if errors:
        raise DomainError("bad_report", _("报告内容有误"), errors)
    if standing_for_source(source_key(school, "social", year)) is not None:
        raise DomainError(
            "report_claimed", _("%(y)s年度报告已用于补贴申请，不能再修改") % {"y": year}, status=409
        )
    report = SocialTrainingReport.objects.select_for_update().filter(school=school, year=year).first()
    before = snapshot(report) if report else None
    if report is None:
        report = SocialTrainingReport(school=school, year=year)
    report.income, report.costs, report.person_times, report.filed_by = income, costs, person_times, actor
    report.save()
    audit_record(
        actor=actor, action="schools.social_report.file", target=report, before=before, after=snapshot(report)
    )
    return report
