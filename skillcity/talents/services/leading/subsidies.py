"""Leading talents: the home-purchase subsidy, the employer reward and the grants source describer."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.grants import flows, outcomes
from skillcity.grants.models import Application
from skillcity.grants.services.records import application_from_records
from skillcity.talents.models.leading import (
    LeadingApplication,
    Recognition,
)
from skillcity.talents.services.leading.common import (
    PROVENANCE,
    _evidence_save,
    parse_money,
    source_key,
    subsidy_date,
    today,
)


@transaction.atomic
def home_purchase_claim(
    *,
    actor: Any,
    recognition: Recognition,
    requested: Any,
    proof: UploadedFile | None,
    day: datetime.date | None = None,
) -> Application:
    """购房补贴 on proof of purchase: the talent (or the bureau for them) claims an amount within the
    home-purchase range; the grants review decides it, the notice publishes it, finance pays it once."""
    worker = recognition.worker
    if not (
        getattr(actor, "worker_id", None) == worker.pk or flows.user_has_stage_role(actor, "bureau_officer")
    ):
        raise PermissionDenied(_("只有本人或市人社局可以申请购房补贴"))
    amount = parse_money(requested, "requested", _("申请金额"))
    if proof is None:
        raise DomainError(
            "proof_required", _("请上传购房证明（购房合同或不动产权证书）"), {"proof": _("请上传购房证明")}
        )
    app = recognition.application
    event_date = subsidy_date(app.call, day or today())
    facts = {"item": "home_purchase"}
    outcome = outcomes.evaluate("TAL-LEADING", event_date, facts)
    try:
        outcomes.check_amount(outcome, amount, "")
    except DomainError as exc:
        raise DomainError(exc.code, exc.message, {"requested": exc.message}) from None
    [evidence] = _evidence_save([proof], actor, leading=app)
    grant = application_from_records(
        actor=actor,
        rule_id="TAL-LEADING",
        payee=worker,
        event_date=event_date,
        facts=facts,
        fact_sources={
            "item": _("%(p)s；购房证明 %(n)s（SHA-256 %(h)s…）")
            % {"p": PROVENANCE % {"n": app.pk}, "n": evidence.name, "h": evidence.sha256[:12]},
        },
        source_key=source_key(app, "home_purchase"),
        requested_amount=amount,  # set by grants with the application and in its audit row
    )
    audit_record(
        actor=actor,
        action="talents.leading.home_purchase",
        target=app,
        after={"grant": grant.pk, "requested_amount": amount, "proof_sha256": evidence.sha256},
    )
    return grant


@transaction.atomic
def employer_reward_claim(
    *, actor: Any, recognition: Recognition, requested: Any, day: datetime.date | None = None
) -> Application:
    """TAL-LEADING-EMPLOYER for the unit that brought the talent in: what it already received this year
    comes from the payments ledger (grants.providers); the engine caps the claim at the remainder."""
    app = recognition.application
    unit = app.unit
    if unit is None or app.introduced_on is None:
        raise DomainError("not_introduced", _("该人才不是由单位引进的，没有引才奖励"), status=409)
    if not (
        getattr(actor, "organisation_id", None) == unit.pk
        or flows.user_has_stage_role(actor, "bureau_officer")
    ):
        raise PermissionDenied(_("只有引进单位或市人社局可以申请引才奖励"))
    amount = parse_money(requested, "requested", _("申请金额"))
    event_date = subsidy_date(app.call, day or today())
    facts: dict[str, Any] = {"requested": str(amount)}
    sources = {"requested": PROVENANCE % {"n": app.pk}}
    for name, (value, provenance) in flows.provided_facts("TAL-LEADING-EMPLOYER", unit, event_date).items():
        facts[name], sources[name] = value, provenance
    grant = application_from_records(
        actor=actor,
        rule_id="TAL-LEADING-EMPLOYER",
        payee=unit,
        event_date=event_date,
        facts=facts,
        fact_sources=sources,
        source_key=f"talents.employer:{app.pk}",
    )
    audit_record(actor=actor, action="talents.leading.employer_reward", target=app, after={"grant": grant.pk})
    return grant


def describe_source(key: str) -> str | None:
    """grants' source describer for "talents.…" keys: what the pages show as the application's source."""
    from skillcity.talents.models.leading import RentSchedule

    parts = key.split(":")
    try:
        if parts[0] == "talents.leading" and len(parts) == 3:
            app = LeadingApplication.objects.select_related("call", "worker").get(pk=int(parts[1]))
            item = {"living": _("生活补贴"), "home_purchase": _("购房补贴")}.get(parts[2], parts[2])
            return _("%(y)s年技能领军人才 %(w)s · %(i)s") % {
                "y": app.call.year,
                "w": app.worker.name,
                "i": item,
            }
        if parts[0] == "talents.employer" and len(parts) == 2:
            app = LeadingApplication.objects.select_related("call", "worker").get(pk=int(parts[1]))
            return _("引进%(y)s年技能领军人才 %(w)s 的引才奖励") % {"y": app.call.year, "w": app.worker.name}
        if parts[0] == "talents.rent" and len(parts) == 3:
            schedule = RentSchedule.objects.select_related("worker").get(pk=int(parts[1]))
            return _("技能领军人才 %(w)s 租房补贴 %(m)s") % {"w": schedule.worker.name, "m": parts[2]}
    except (ValueError, LeadingApplication.DoesNotExist, RentSchedule.DoesNotExist):
        return None
    return None
