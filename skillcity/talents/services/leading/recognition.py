"""Leading talents: the shortlist within the quota, recognition and its honorary certificate, the living subsidy."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError
from skillcity.core.money import round_fen
from skillcity.grants import outcomes
from skillcity.grants import services as grants
from skillcity.grants.models import Application, ApplicationState, Objection
from skillcity.grants.services.records import application_from_records
from skillcity.registry.models import SkillRecord
from skillcity.registry.services import skill_record_add
from skillcity.talents.models.leading import (
    LeadingApplication,
    LeadingCall,
    LeadingState,
    Recognition,
)
from skillcity.talents.services.leading.common import (
    PROVENANCE,
    _lock,
    _refuse,
    _require_bureau,
    source_key,
    subsidy_date,
    today,
)


def subsidy_applications(app: LeadingApplication) -> Any:
    return Application.objects.filter(
        Q(source_key__startswith=f"talents.leading:{app.pk}:") | Q(source_key=f"talents.employer:{app.pk}")
    ).order_by("id")


def living_application(app: LeadingApplication) -> Application | None:
    return (
        Application.objects.filter(source_key=source_key(app, "living"))
        .exclude(state__in=(ApplicationState.WITHDRAWN, ApplicationState.REJECTED))
        .first()
    )


@transaction.atomic
def shortlist(
    *,
    actor: Any,
    application: LeadingApplication,
    living_amount: Decimal,
    reason: str = "",
    day: datetime.date | None = None,
) -> LeadingApplication:
    """入围: every assigned member has scored; the panel's living subsidy (TAL-LEADING's living range)
    goes into a grants application, passed by the bureau and published in the grants public notice."""
    _require_bureau(actor)
    day = day or today()
    app = _lock(application)
    if app.state != LeadingState.IN_PANEL:
        raise _refuse(app, _("入围"))
    if not app.assignments.exists() or app.assignments.filter(submitted_at__isnull=True).exists():
        raise DomainError("scores_missing", _("分配的评审专家尚未全部提交评分"), status=409)
    # Lock the call: two shortlistings at once must not both see the last place of the quota free.
    LeadingCall.objects.select_for_update().get(pk=app.call_id)
    taken = LeadingApplication.objects.filter(
        call=app.call, state__in=(LeadingState.SHORTLISTED, LeadingState.RECOGNISED)
    ).count()
    if taken >= app.call.quota:
        raise DomainError(
            "quota_full", _("本年度计划认定 %(q)s 名，入围已满") % {"q": app.call.quota}, status=409
        )
    amount = round_fen(living_amount)
    event_date = subsidy_date(app.call, day)
    facts = {"item": "living"}
    outcome = outcomes.evaluate("TAL-LEADING", event_date, facts)
    outcomes.check_amount(outcome, amount, reason)  # the field error names the living range
    grant = application_from_records(
        actor=actor,
        rule_id="TAL-LEADING",
        payee=app.worker,
        event_date=event_date,
        facts=facts,
        fact_sources={"item": PROVENANCE % {"n": app.pk}},
        source_key=source_key(app, "living"),
    )
    grant = grants.application_review_pass(application=grant, actor=actor, amount=amount, reason=reason)
    grants.notice_start(application=grant, actor=actor, start=day)
    app.state, app.living_amount = LeadingState.SHORTLISTED, amount
    app.save(update_fields=["state", "living_amount"])
    audit_record(
        actor=actor,
        action="talents.leading.shortlist",
        target=app,
        after={"living_amount": amount, "grant": grant.pk},
    )
    return app


@transaction.atomic
def not_shortlisted(*, actor: Any, application: LeadingApplication, reason: str) -> LeadingApplication:
    _require_bureau(actor)
    app = _lock(application)
    if app.state != LeadingState.IN_PANEL:
        raise _refuse(app, _("作未入围处理"))
    reason = (reason or "").strip()[:500]
    if not reason:
        raise DomainError("reason_required", _("请写明未入围的原因"), {"reason": _("必须填写")})
    app.state, app.formal_note = LeadingState.NOT_SHORTLISTED, reason
    app.save(update_fields=["state", "formal_note"])
    audit_record(actor=actor, action="talents.leading.not_shortlisted", target=app, after={"reason": reason})
    return app


@transaction.atomic
def recognise(
    *, actor: Any, application: LeadingApplication, day: datetime.date | None = None
) -> Recognition:
    """认定 after the public notice: the living subsidy is approved through grants (refused while the notice
    runs or an objection is open; refused when one was upheld), the honour recorded, the certificate
    numbered."""
    _require_bureau(actor)
    day = day or today()
    app = _lock(application)
    if app.state != LeadingState.SHORTLISTED:
        raise _refuse(app, _("认定"))
    grant = living_application(app)
    if grant is None:
        raise DomainError("no_notice", _("该申报没有公示记录，不能认定"), status=409)
    if Objection.objects.filter(notice__application=grant, upheld=True).exists():
        raise DomainError("objection_upheld", _("公示期间有异议成立，不能认定"), status=409)
    if grant.state == ApplicationState.IN_NOTICE:
        grant = grants.application_approve(application=grant, actor=actor, today=day)
    if grant.state not in (ApplicationState.APPROVED, ApplicationState.PAID):
        raise DomainError("not_approved", _("生活补贴申请尚未核准，不能认定"), status=409)
    recognised_on = subsidy_date(app.call, day)
    year = app.call.year
    # Lock the year's call: two recognitions at once must not both count the same number and clash on
    # the certificate number (one call a year, so the call's row serialises the year's numbering).
    LeadingCall.objects.select_for_update().get(pk=app.call_id)
    seq = Recognition.objects.filter(year=year).count() + 1
    honour = skill_record_add(
        worker=app.worker,
        kind=SkillRecord.Kind.HONOUR,
        actor=actor,
        obtained_on=recognised_on,
        honour=SkillRecord.Honour.DONGGUAN_LEADING_TALENT,
        certificate_number=f"LJ-{year}-{seq:03d}",
    )
    recognition = Recognition.objects.create(
        application=app,
        worker=app.worker,
        year=year,
        recognised_on=recognised_on,
        number=f"LJ-{year}-{seq:03d}",
        honour=honour,
        recognised_by=actor,
    )
    app.state = LeadingState.RECOGNISED
    app.save(update_fields=["state"])
    audit_record(
        actor=actor, action="talents.leading.recognise", target=recognition, after=snapshot(recognition)
    )
    return recognition
