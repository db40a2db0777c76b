"""Selectors of the schools: what a user may see, the EDU rules' facts read from the records, and
T-TECH-SCHOOLS progress."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import visible_to
from skillcity.registry.models import Organisation, Worker
from skillcity.schools.models import (
    ADVANCED_OR_ABOVE,
    ClassKind,
    Graduation,
    InternationalStudent,
    Major,
    RollCount,
    School,
    SchoolKind,
    SocialTrainingReport,
)

MONEY_PLACES = Decimal("0.01")


def schools_for(user: Any) -> QuerySet[School]:
    return visible_to(user, School.objects.select_related("organisation", "organisation__town"))


def school_of(organisation: Any) -> School | None:
    if not isinstance(organisation, Organisation):
        return None
    return School.objects.filter(organisation=organisation).first()


def event_date_for(year: int) -> datetime.date:
    """The day an application for `year` is evaluated on: the year's last day, or today in the year."""
    return min(datetime.date(year, 12, 31), timezone.localdate())


def roll_totals(school: School, year: int) -> dict[int, dict[str, int]]:
    """{major id: {"y1", "y2", "y3", "total", "excluded", "advanced"}} for the year's rolls."""
    out: dict[int, dict[str, int]] = {}
    rows = (
        RollCount.objects.filter(school=school, year=year)
        .values("major_id", "year_of_study", "class_kind")
        .annotate(n=Sum("students"))
    )
    for row in rows:
        t = out.setdefault(
            row["major_id"], {"y1": 0, "y2": 0, "y3": 0, "total": 0, "excluded": 0, "advanced": 0}
        )
        n = int(row["n"] or 0)
        t["total"] += n
        if row["year_of_study"] <= 3:
            t[f"y{row['year_of_study']}"] += n
            if row["class_kind"] == ClassKind.HS_ADVANCED:
                t["excluded"] += n
        if row["class_kind"] in ADVANCED_OR_ABOVE:
            t["advanced"] += n
    return out


# --- facts from records (the same functions feed the providers and the from-records applications) ----


def _rolls_source(school: School, year: int) -> str:
    return _("%(s)s %(y)s年度在校生名册导入") % {"s": school.organisation.name, "y": year}


def demo_major_facts(major: Major, year: int) -> tuple[dict[str, Any], dict[str, str]]:
    """EDU-DEMO-MAJOR for a major and year: ownership and demonstration flag from the school's records,
    years 1–3 and the excluded high-school-graduate advanced classes from the year's rolls."""
    school = major.school
    totals = roll_totals(school, year).get(major.pk, {"y1": 0, "y2": 0, "y3": 0, "excluded": 0})
    record = _("院校登记：%(s)s") % {"s": school.organisation.name}
    major_record = _("专业登记：%(m)s") % {"m": major.name}
    rolls = _rolls_source(school, year)
    facts = {
        "school_is_private": school.is_private,
        "major_is_demonstration": major.demonstration,
        "students_year1": totals["y1"],
        "students_year2": totals["y2"],
        "students_year3": totals["y3"],
        "excluded_hs_advanced": totals["excluded"],
    }
    sources = {
        "school_is_private": record,
        "major_is_demonstration": major_record,
        "students_year1": rolls,
        "students_year2": rolls,
        "students_year3": rolls,
        "excluded_hs_advanced": rolls,
    }
    return facts, sources


def international_students(school: School, year: int) -> int:
    return InternationalStudent.objects.filter(intl_class__school=school, intl_class__year=year).count()


def intl_class_facts(school: School, year: int) -> tuple[dict[str, Any], dict[str, str]]:
    source = _("%(s)s %(y)s年度国际课程班学生名单") % {"s": school.organisation.name, "y": year}
    return {"international_class_students": international_students(school, year)}, {
        "international_class_students": source
    }


def source_key(school: School, item: str, *parts: Any) -> str:
    """A from-records application's key: "schools.school:<school>:<item>:<record>…" (grants: once each)."""
    return ":".join([f"schools.school:{school.pk}", item, *(str(p) for p in parts)])


MAJOR_BUILD_PAID_PROVENANCE = "平台支付记录（补贴申报）：该专业的专业建设经费"


def major_build_source_key(major: Major) -> str:
    return source_key(major.school, "major_build", major.pk)


def major_already_funded(major: Major) -> bool:
    """EDU-MAJOR-BUILD is once per major: funded when the payments ledger holds a payment for it."""
    from skillcity.grants.models import Payment

    return Payment.objects.filter(
        application__rule_id="EDU-MAJOR-BUILD", application__source_key=major_build_source_key(major)
    ).exists()


def major_build_facts(major: Major) -> tuple[dict[str, Any], dict[str, str]]:
    return (
        {"industry_fit": major.industry_fit, "already_funded": major_already_funded(major)},
        {
            "industry_fit": _("专业登记：%(m)s") % {"m": major.name},
            "already_funded": _(MAJOR_BUILD_PAID_PROVENANCE),
        },
    )


def worker_certificate(worker: Worker, on: datetime.date) -> InternationalStudent | None:
    return (
        InternationalStudent.objects.filter(worker=worker, certificate_date__lte=on)
        .exclude(certificate_number="")
        .select_related("intl_class__school__organisation")
        .order_by("certificate_date", "id")
        .first()
    )


def intl_cert_facts(
    student: InternationalStudent, on: datetime.date
) -> tuple[dict[str, Any], dict[str, str]]:
    held = student.has_certificate and student.certificate_date is not None and student.certificate_date <= on
    source = _("%(s)s 国际课程班“%(c)s”学生证书记录") % {
        "s": student.intl_class.school.organisation.name,
        "c": student.intl_class.name,
    }
    return {"obtained_international_certificate": held}, {"obtained_international_certificate": source}


def social_training_facts(report: SocialTrainingReport) -> tuple[dict[str, Any], dict[str, str]]:
    source = _("%(s)s %(y)s年度社会化培训报告") % {"s": report.school.organisation.name, "y": report.year}
    return (
        {
            "income": str(report.income.quantize(MONEY_PLACES)),
            "costs": str(report.costs.quantize(MONEY_PLACES)),
        },
        {"income": source, "costs": source},
    )


# --- fact providers (grants.flows): what an applicant's own application reads from the records ------


def _pairs(facts: dict[str, Any], sources: dict[str, str]) -> dict[str, tuple[Any, str]]:
    return {name: (value, sources[name]) for name, value in facts.items()}


def provide_demo_major(applicant: Any, event_date: datetime.date) -> dict[str, tuple[Any, str]]:
    school = school_of(applicant)
    if school is None:
        return {}
    return {"school_is_private": (school.is_private, _("院校登记：%(s)s") % {"s": school.organisation.name})}


def provide_intl_class(applicant: Any, event_date: datetime.date) -> dict[str, tuple[Any, str]]:
    school = school_of(applicant)
    if school is None:
        return {}
    return _pairs(*intl_class_facts(school, event_date.year))


def provide_intl_cert(applicant: Any, event_date: datetime.date) -> dict[str, tuple[Any, str]]:
    if not isinstance(applicant, Worker):
        return {}
    student = worker_certificate(applicant, event_date)
    if student is None:
        student = (
            InternationalStudent.objects.filter(worker=applicant)
            .select_related("intl_class__school__organisation")
            .first()
        )
        if student is None:
            return {}
    return _pairs(*intl_cert_facts(student, event_date))


def provide_social_training(applicant: Any, event_date: datetime.date) -> dict[str, tuple[Any, str]]:
    school = school_of(applicant)
    if school is None:
        return {}
    report = SocialTrainingReport.objects.filter(school=school, year=event_date.year).first()
    if report is None:
        return {}
    return _pairs(*social_training_facts(report))


# --- EDU-EQUIV on a worker's profile ----------------------------------------------------------------


def worker_graduations(worker: Worker | None) -> list[Graduation]:
    if worker is None or worker.pk is None:
        return []
    return list(Graduation.objects.filter(worker=worker).select_related("school__organisation", "major"))


# --- T-TECH-SCHOOLS -----------------------------------------------------------------------------------


@dataclass
class Measure:
    label: str
    value: str
    target: str
    met: bool
    percent: int  # progress bar width, 0–100


@dataclass
class Progress:
    year: int
    schools: int
    students: int
    advanced: int
    majors: int
    majors_with_enterprise: int
    graduates: int
    measures: list[Measure]


STUDENTS_TARGET = 30_000
ADVANCED_SHARE_TARGET = Decimal("0.40")
ENTERPRISE_SHARE_TARGET = Decimal("0.90")
GRADUATES_TARGET = 9_000
EMPLOYED_SHARE_TARGET = Decimal("0.98")


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)) if whole else Decimal(0)


def _bar(value: Decimal | int, target: Decimal | int) -> int:
    return int(min(Decimal(100), Decimal(value) * 100 / Decimal(target))) if target else 0


def progress(year: int) -> Progress:
    """T-TECH-SCHOOLS (D001 二) for a year, over the technical schools: students and the share in
    advanced classes or above from the year's rolls, majors with school–enterprise training, graduates."""
    schools = School.objects.filter(kind=SchoolKind.TECHNICAL)
    counts = RollCount.objects.filter(school__in=schools, year=year).aggregate(
        total=Sum("students"), advanced=Sum("students", filter=Q(class_kind__in=ADVANCED_OR_ABOVE))
    )
    students, advanced = int(counts["total"] or 0), int(counts["advanced"] or 0)
    majors = Major.objects.filter(school__in=schools).aggregate(
        n=Count("id"), e=Count("id", filter=Q(enterprise_training=True))
    )
    from skillcity.employment.selectors.retention import employed_graduations

    graduated = list(
        Graduation.objects.filter(school__in=schools, graduated_on__year=year).only(
            "id", "worker_id", "graduated_on"
        )
    )
    graduates = len(graduated)
    employed = len(employed_graduations(graduated))
    employed_share = _share(employed, graduates)
    adv_share, ent_share = _share(advanced, students), _share(majors["e"], majors["n"])

    def pct(d: Decimal) -> str:
        return f"{(d * 100).quantize(Decimal('0.1'))}%"

    measures = [
        Measure(
            _("技工院校在校生"),
            f"{students:,}",
            f"≥ {STUDENTS_TARGET:,}",
            students >= STUDENTS_TARGET,
            _bar(students, STUDENTS_TARGET),
        ),
        Measure(
            _("高级工班及以上占比"),
            pct(adv_share),
            "≥ 40%",
            students > 0 and adv_share >= ADVANCED_SHARE_TARGET,
            _bar(adv_share, ADVANCED_SHARE_TARGET),
        ),
        Measure(
            _("开展校企合作培养的专业占比"),
            pct(ent_share),
            "≥ 90%",
            majors["n"] > 0 and ent_share >= ENTERPRISE_SHARE_TARGET,
            _bar(ent_share, ENTERPRISE_SHARE_TARGET),
        ),
        Measure(
            _("当年毕业生"),
            f"{graduates:,}",
            f"≥ {GRADUATES_TARGET:,}",
            graduates >= GRADUATES_TARGET,
            _bar(graduates, GRADUATES_TARGET),
        ),
        Measure(
            _("当年毕业生就业率（社保缴费记录，毕业后12个月内参保）"),
            f"{pct(employed_share)}（{employed:,} / {graduates:,}）",
            "≥ 98%",
            graduates > 0 and employed_share >= EMPLOYED_SHARE_TARGET,
            _bar(employed_share, EMPLOYED_SHARE_TARGET),
        ),
    ]
    return Progress(year, schools.count(), students, advanced, majors["n"], majors["e"], graduates, measures)


def school_grants(school: School) -> QuerySet[Any]:
    """The grants applications of a school (its own, and its students' international-certificate ones
    it made from records)."""
    from skillcity.grants.models import Application

    return (
        Application.objects.filter(
            Q(organisation=school.organisation) | Q(source_key__startswith=f"schools.school:{school.pk}:")
        )
        .select_related("payment")
        .order_by("-id")
    )


def equivalents(day: datetime.date | None = None) -> dict[str, str]:
    """EDU-EQUIV's equivalent education for each class kind (the rule's table, in force on `day` or
    under its last version)."""
    from skillcity.schools.models import EQUIV_CLASS
    from skillcity.talents.selectors.cards import evaluate_in_force

    on = day or timezone.localdate()
    found: dict[str, str] = {}
    for kind, class_type in EQUIV_CLASS.items():
        outcome = evaluate_in_force("EDU-EQUIV", on, {"class_type": class_type})
        found[kind.value] = str(outcome.extra.get("equivalent", ""))
    return found


def with_equivalents(graduations: Any) -> list[Graduation]:
    table = equivalents()
    rows = list(graduations)
    for g in rows:
        g.equivalent = table.get(g.class_kind, "")  # type: ignore[attr-defined]
    return rows
