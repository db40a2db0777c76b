"""An alliance's lifecycle: draft → filed (备案) → active → dissolved, with the bureau's accept or
return-with-reasons (returned alliances are edited and filed again)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import pgettext

from skillcity.alliances import schedule
from skillcity.alliances.composition import INITIATOR_CATEGORIES, check_filing
from skillcity.alliances.models import Alliance, AllianceStatus, MemberRole, Membership
from skillcity.alliances.services.common import record_event, require_text
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError
from skillcity.registry.models import Industry, Organisation

_STATE_FIELDS = ["status", "filed_at", "accepted_on", "return_reason", "dissolved_on", "dissolve_reason"]


def _locked(alliance: Alliance) -> Alliance:
    return Alliance.objects.select_for_update().select_related("industry", "initiator").get(pk=alliance.pk)


def _refuse(alliance: Alliance, doing: str) -> Conflict:
    return Conflict(
        "invalid_state",
        _("联盟当前状态为“%(status)s”，不能%(doing)s")
        % {"status": alliance.get_status_display(), "doing": doing},
    )


@transaction.atomic
def alliance_create(
    *,
    name: str,
    industry: Industry | None,
    initiator: Organisation,
    actor: Any,
    description: str = "",
    created_on: datetime.date | None = None,
) -> Alliance:
    name = require_text(name, field="name", label=_("联盟名称"), max_length=200)
    if industry is None:
        raise DomainError("invalid", _("请选择联盟所属产业"), {"industry": _("必填")})
    if initiator.category not in INITIATOR_CATEGORIES:
        # D000 二(一): a training-related unit initiates; an enterprise is the lead, not the initiator.
        raise DomainError(
            "invalid_initiator",
            _("“%(name)s”是%(category)s，发起单位应为职业院校、技工院校、职业培训机构、科研机构或行业协会")
            % {"name": initiator.name, "category": initiator.get_category_display()},
            {"initiator": _("发起单位类别不符")},
        )
    alliance = Alliance.objects.create(
        name=name,
        industry=industry,
        description=(description or "").strip(),
        initiator=initiator,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Membership.objects.create(
        alliance=alliance,
        organisation=initiator,
        role=MemberRole.INITIATOR,
        joined_on=created_on or schedule.today(),
    )
    record_event(alliance, actor, "create", N_("创建联盟草稿，发起单位：%(name)s"), name=initiator.name)
    audit_record(actor=actor, action="alliance.create", target=alliance, after=snapshot(alliance))
    return alliance


@transaction.atomic
def alliance_update(
    *,
    alliance: Alliance,
    actor: Any,
    name: str | None = None,
    industry: Industry | None = None,
    description: str | None = None,
) -> Alliance:
    alliance = _locked(alliance)
    if not alliance.is_editable:
        raise _refuse(alliance, pgettext("alliance cannot", "修改基本信息"))
    before = snapshot(alliance)
    if name is not None:
        alliance.name = require_text(name, field="name", label=_("联盟名称"), max_length=200)
    if industry is not None:
        alliance.industry = industry
    if description is not None:
        alliance.description = description.strip()
    alliance.save()
    record_event(alliance, actor, "update", N_("修改联盟基本信息"))
    audit_record(
        actor=actor, action="alliance.update", target=alliance, before=before, after=snapshot(alliance)
    )
    return alliance


@transaction.atomic
def alliance_file(*, alliance: Alliance, actor: Any) -> Alliance:
    """The initiator files (备案) with the bureau; every missing item is listed together."""
    alliance = _locked(alliance)
    if not alliance.is_editable:
        raise _refuse(alliance, pgettext("alliance cannot", "备案"))
    members = list(alliance.memberships.select_related("organisation", "organisation__industry"))
    problems = check_filing(alliance, members, alliance.documents.all())
    if problems:
        fields: dict[str, list[str]] = {}
        for p in problems:
            fields.setdefault(p.field, []).append(p.message)
        raise DomainError(
            "filing_incomplete",
            _("备案材料不齐全：%(problems)s") % {"problems": "；".join(p.message for p in problems)},
            fields,
        )
    before = snapshot(alliance, _STATE_FIELDS)
    alliance.status = AllianceStatus.FILED
    alliance.filed_at = schedule.now()
    alliance.save(update_fields=["status", "filed_at", "updated_at"])
    record_event(
        alliance, actor, "file", N_("发起单位向市人社局备案（成员单位%(count)s家）"), count=len(members)
    )
    audit_record(
        actor=actor,
        action="alliance.file",
        target=alliance,
        before=before,
        after=snapshot(alliance, _STATE_FIELDS),
    )
    return alliance


@transaction.atomic
def alliance_accept(*, alliance: Alliance, actor: Any, accepted_on: datetime.date | None = None) -> Alliance:
    alliance = _locked(alliance)
    if alliance.status != AllianceStatus.FILED:
        raise _refuse(alliance, pgettext("alliance cannot", "审核通过"))
    before = snapshot(alliance, _STATE_FIELDS)
    alliance.status = AllianceStatus.ACTIVE
    alliance.accepted_on = accepted_on or schedule.today()
    alliance.return_reason = ""
    alliance.save(update_fields=["status", "accepted_on", "return_reason", "updated_at"])
    record_event(
        alliance, actor, "accept", N_("市人社局备案通过（%(on)s）"), on=alliance.accepted_on.isoformat()
    )
    audit_record(
        actor=actor,
        action="alliance.accept",
        target=alliance,
        before=before,
        after=snapshot(alliance, _STATE_FIELDS),
    )
    return alliance


@transaction.atomic
def alliance_return(*, alliance: Alliance, actor: Any, reason: str) -> Alliance:
    reason = require_text(reason, field="reason", label=_("退回理由"), max_length=2000)
    alliance = _locked(alliance)
    if alliance.status != AllianceStatus.FILED:
        raise _refuse(alliance, pgettext("alliance cannot", "退回"))
    before = snapshot(alliance, _STATE_FIELDS)
    alliance.status = AllianceStatus.RETURNED
    alliance.return_reason = reason
    alliance.save(update_fields=["status", "return_reason", "updated_at"])
    record_event(alliance, actor, "return", N_("市人社局退回备案：%(reason)s"), reason=reason)
    audit_record(
        actor=actor,
        action="alliance.return",
        target=alliance,
        before=before,
        after=snapshot(alliance, _STATE_FIELDS),
    )
    return alliance


@transaction.atomic
def alliance_dissolve(
    *, alliance: Alliance, actor: Any, reason: str, dissolved_on: datetime.date | None = None
) -> Alliance:
    reason = require_text(reason, field="reason", label=_("解散原因"), max_length=2000)
    alliance = _locked(alliance)
    if alliance.status != AllianceStatus.ACTIVE:
        raise _refuse(alliance, pgettext("alliance cannot", "解散"))
    on = dissolved_on or schedule.today()
    if alliance.accepted_on and on < alliance.accepted_on:
        raise DomainError(
            "invalid", _("解散日期不能早于备案通过日期"), {"dissolved_on": _("早于备案通过日期")}
        )
    before = snapshot(alliance, _STATE_FIELDS)
    alliance.status = AllianceStatus.DISSOLVED
    alliance.dissolved_on = on
    alliance.dissolve_reason = reason
    alliance.save(update_fields=["status", "dissolved_on", "dissolve_reason", "updated_at"])
    record_event(
        alliance, actor, "dissolve", N_("联盟解散（%(on)s）：%(reason)s"), on=on.isoformat(), reason=reason
    )
    audit_record(
        actor=actor,
        action="alliance.dissolve",
        target=alliance,
        before=before,
        after=snapshot(alliance, _STATE_FIELDS),
    )
    return alliance
