"""A school's grants applications made from its records (grants.services.records): nothing is typed but
what the rule asks the school to state (the amount requested for EDU-MAJOR-BUILD, the actual cost for
EDU-INTL-CLASS). Each names its record in `source_key` ("schools.school:<id>:…"), so each is paid once.
Also: the fact providers (an applicant's own application on the grants pages reads the same facts) and
the source describer, registered by skillcity/schools/registrations.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError
from skillcity.core.money import round_fen
from skillcity.grants.models import Application
from skillcity.grants.services.records import application_from_records
from skillcity.schools import selectors
from skillcity.schools.models import Graduation, InternationalStudent, Major, School, SocialTrainingReport
from skillcity.schools.services import _year, require_school_actor

TYPED = "院校填报"


def _money(value: Any, field: str, label: str) -> Decimal:
    from skillcity.core.bounds import parse_money

    try:
        return parse_money(value)
    except ValueError as exc:
        raise DomainError(
            "bad_money", _("%(l)s：%(e)s") % {"l": label, "e": str(exc)}, {field: str(exc)}
        ) from None


@transaction.atomic
def demo_major_apply(*, actor: Any, major: Major, year: int) -> Application:
    """EDU-DEMO-MAJOR for a demonstration major of a private technical school, for a year's rolls."""
    school = major.school
    require_school_actor(actor, school)
    year = _year(year)
    facts, sources = selectors.demo_major_facts(major, year)
    app = application_from_records(
        actor=actor,
        rule_id="EDU-DEMO-MAJOR",
        payee=school.organisation,
        event_date=selectors.event_date_for(year),
        facts=facts,
        fact_sources=sources,
        source_key=selectors.source_key(school, "demo_major", major.pk, year),
    )
    audit_record(
        actor=actor,
        action="schools.grant.demo_major",
        target=major,
        after={"application": app.pk, "year": year},
    )
    return app


@transaction.atomic
def intl_class_apply(*, actor: Any, school: School, year: int, actual_cost: Any = None) -> Application:
    """EDU-INTL-CLASS for a year: the students of the year's international course classes."""
    require_school_actor(actor, school)
    year = _year(year)
    facts, sources = selectors.intl_class_facts(school, year)
    if actual_cost not in (None, ""):
        facts["actual_cost"] = str(_money(actual_cost, "actual_cost", _("实际所需费用")))
        sources["actual_cost"] = TYPED
    app = application_from_records(
        actor=actor,
        rule_id="EDU-INTL-CLASS",
        payee=school.organisation,
        event_date=selectors.event_date_for(year),
        facts=facts,
        fact_sources=sources,
        source_key=selectors.source_key(school, "intl_class", year),
    )
    audit_record(
        actor=actor,
        action="schools.grant.intl_class",
        target=school,
        after={"application": app.pk, "year": year},
    )
    return app


@transaction.atomic
def major_build_apply(*, actor: Any, major: Major, year: int, requested: Any) -> Application:
    """EDU-MAJOR-BUILD, once per major: the industry fit from the major, already funded from payments."""
    school = major.school
    require_school_actor(actor, school)
    year = _year(year)
    amount = _money(requested, "requested", _("申请金额"))
    facts, sources = selectors.major_build_facts(major)
    facts["requested"], sources["requested"] = str(amount), TYPED
    app = application_from_records(
        actor=actor,
        rule_id="EDU-MAJOR-BUILD",
        payee=school.organisation,
        event_date=selectors.event_date_for(year),
        facts=facts,
        fact_sources=sources,
        source_key=selectors.major_build_source_key(major),
        requested_amount=round_fen(amount),  # in the application's own audit row
    )
    audit_record(actor=actor, action="schools.grant.major_build", target=major, after={"application": app.pk})
    return app


@transaction.atomic
def intl_cert_apply(*, actor: Any, student: InternationalStudent) -> Application:
    """EDU-INTL-CERT for a student of an international class who holds an international certificate;
    the student (a registry Worker) is the payee, the school files it."""
    school = student.intl_class.school
    require_school_actor(actor, school)
    on = student.certificate_date or selectors.event_date_for(student.intl_class.year)
    facts, sources = selectors.intl_cert_facts(student, on)
    app = application_from_records(
        actor=actor,
        rule_id="EDU-INTL-CERT",
        payee=student.worker,
        event_date=on,
        facts=facts,
        fact_sources=sources,
        source_key=selectors.source_key(school, "intl_cert", student.pk),
    )
    audit_record(actor=actor, action="schools.grant.intl_cert", target=student, after={"application": app.pk})
    return app


@transaction.atomic
def social_training_apply(*, actor: Any, report: SocialTrainingReport) -> Application:
    """EDU-SOCIAL-TRAINING from a public school's yearly report."""
    school = report.school
    require_school_actor(actor, school)
    facts, sources = selectors.social_training_facts(report)
    app = application_from_records(
        actor=actor,
        rule_id="EDU-SOCIAL-TRAINING",
        payee=school.organisation,
        event_date=selectors.event_date_for(report.year),
        facts=facts,
        fact_sources=sources,
        source_key=selectors.source_key(school, "social", report.year),
    )
    audit_record(
        actor=actor, action="schools.grant.social_training", target=report, after={"application": app.pk}
    )
    return app


ITEM_LABELS = {  # gettext_noop: translated where shown
    "demo_major": gettext_noop("示范性专业建设经费"),
    "intl_class": gettext_noop("国际课程班生均经费"),
    "major_build": gettext_noop("专业建设经费"),
    "intl_cert": gettext_noop("国际职业技能证书考证补贴"),
    "social": gettext_noop("社会化培训收入提取绩效工资"),
    "grad_retention": gettext_noop("毕业生留莞就业奖励"),
}


def describe_source(key: str) -> str | None:
    """grants' source describer for "schools.…" keys."""
    parts = key.split(":")
    try:
        if parts[0] != "schools.school" or len(parts) < 3 or parts[2] not in ITEM_LABELS:
            return None
        school = School.objects.select_related("organisation").get(pk=int(parts[1]))
        item = _(ITEM_LABELS[parts[2]])
        name = school.organisation.name
        if parts[2] == "demo_major":
            major = Major.objects.get(pk=int(parts[3]), school=school)
            return _("%(s)s · %(m)s · %(y)s年度%(i)s") % {
                "s": name,
                "m": major.name,
                "y": parts[4],
                "i": item,
            }
        if parts[2] == "major_build":
            major = Major.objects.get(pk=int(parts[3]), school=school)
            return _("%(s)s · %(m)s · %(i)s") % {"s": name, "m": major.name, "i": item}
        if parts[2] == "grad_retention":
            graduation = Graduation.objects.select_related("worker").get(pk=int(parts[3]), school=school)
            return _("%(s)s · %(w)s（%(y)s届）· %(i)s") % {
                "s": name,
                "w": graduation.worker.name,
                "y": graduation.graduated_on.year,
                "i": item,
            }
        if parts[2] == "intl_cert":
            student = InternationalStudent.objects.select_related("worker").get(pk=int(parts[3]))
            return _("%(s)s · %(w)s · %(i)s") % {"s": name, "w": student.worker.name, "i": item}
        return _("%(s)s · %(y)s年度%(i)s") % {"s": name, "y": parts[3], "i": item}
    except (
        ValueError,
        IndexError,
        School.DoesNotExist,
        Major.DoesNotExist,
        InternationalStudent.DoesNotExist,
        Graduation.DoesNotExist,
    ):
        return None


def register() -> None:
    from skillcity.grants.flows import register_fact_provider, register_source_describer

    register_fact_provider("EDU-DEMO-MAJOR", selectors.provide_demo_major)
    register_fact_provider("EDU-INTL-CLASS", selectors.provide_intl_class)
    register_fact_provider("EDU-INTL-CERT", selectors.provide_intl_cert)
    register_fact_provider("EDU-SOCIAL-TRAINING", selectors.provide_social_training)
    register_source_describer("schools.", describe_source)
