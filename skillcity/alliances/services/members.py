"""Members: add an organisation from the registry or register a new one (with its business licence),
name the lead enterprise, remove a member, and fill each member's Annex 1."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from skillcity.alliances import schedule
from skillcity.alliances.annexes import ANNEX1_FIELDS
from skillcity.alliances.composition import check_composition
from skillcity.alliances.models import Alliance, AllianceStatus, DocumentKind, MemberRole, Membership
from skillcity.alliances.services.common import invalid, record_event
from skillcity.alliances.services.documents import UploadedDocument, document_upload
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError
from skillcity.core.validators import validate_uscc
from skillcity.registry import services as registry_services
from skillcity.registry.models import Organisation, OrganisationCategory

# Members join while the alliance is drafted, returned for changes, or running; not while the
# bureau reviews the filing, and not after dissolution.
_MEMBER_STATES = (AllianceStatus.DRAFT, AllianceStatus.RETURNED, AllianceStatus.ACTIVE)


def _locked(alliance: Alliance) -> Alliance:
    return Alliance.objects.select_for_update().select_related("industry").get(pk=alliance.pk)


def _check_members_editable(alliance: Alliance) -> None:
    if alliance.status not in _MEMBER_STATES:
        raise Conflict(
            "invalid_state",
            _("联盟当前状态为“%(status)s”，不能调整成员单位") % {"status": alliance.get_status_display()},
        )


@transaction.atomic
def member_add(
    *, alliance: Alliance, organisation: Organisation, actor: Any, joined_on: datetime.date | None = None
) -> Membership:
    alliance = _locked(alliance)
    _check_members_editable(alliance)
    on = joined_on or schedule.today()
    existing = (
        Membership.objects.select_for_update().filter(alliance=alliance, organisation=organisation).first()
    )
    if existing is not None and existing.left_on is None:
        raise DomainError(
            "already_member",
            _("“%(name)s”已是本联盟成员单位") % {"name": organisation.name},
            {"organisation": _("已是成员单位")},
        )
    if existing is not None:
        # Rejoining: the row keeps one membership per organisation; the new term starts today.
        before = snapshot(existing)
        existing.left_on = None
        existing.joined_on = on
        existing.save(update_fields=["left_on", "joined_on"])
        membership = existing
    else:
        before = None
        membership = Membership.objects.create(
            alliance=alliance, organisation=organisation, role=MemberRole.MEMBER, joined_on=on
        )
    record_event(
        alliance,
        actor,
        "member_add",
        N_("加入成员单位：%(name)s（%(category_label)s）"),
        name=organisation.name,
        category_label=str(organisation.get_category_display()),
    )
    audit_record(
        actor=actor,
        action="alliance.member_add",
        target=membership,
        before=before,
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def member_register(
    *,
    alliance: Alliance,
    data: Mapping[str, Any],
    actor: Any,
    business_licence: UploadedDocument | None = None,
) -> Membership:
    """Add an organisation by its details. One the registry already holds is added as it is, and no
    licence is asked for (D000 二(六)1: what the bureau can get through information sharing is not
    asked again); a new one is registered and must come with its business licence or legal-person
    certificate, stored as the alliance's attachment."""
    try:
        uscc = validate_uscc(str(data.get("uscc") or "").strip())
    except ValueError as exc:
        raise DomainError(
            "invalid", _("统一社会信用代码：%(message)s") % {"message": exc}, {"uscc": str(exc)}
        ) from None
    known = Organisation.objects.filter(uscc=uscc).first()
    if known is not None:
        return member_add(alliance=alliance, organisation=known, actor=actor)
    _check_members_editable(alliance)
    if business_licence is None:
        raise DomainError(
            "licence_required",
            _("该单位尚未在系统登记，请上传营业执照或法人登记证"),
            {"business_licence": _("新登记单位须上传营业执照或法人登记证")},
        )
    organisation = registry_services.organisation_create(data={**data, "uscc": uscc}, actor=actor)
    document_upload(
        alliance=alliance,
        kind=DocumentKind.BUSINESS_LICENCE,
        upload=business_licence,
        actor=actor,
        organisation=organisation,
    )
    return member_add(alliance=alliance, organisation=organisation, actor=actor)


@transaction.atomic
def member_remove(*, membership: Membership, actor: Any, left_on: datetime.date | None = None) -> None:
    alliance = _locked(membership.alliance)
    _check_members_editable(alliance)
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    name = membership.organisation.name
    if membership.role == MemberRole.INITIATOR:
        raise DomainError("invalid", _("发起单位不能移出联盟"), {"membership": _("发起单位不能移出")})
    if membership.is_lead:
        raise DomainError(
            "invalid",
            _("“%(name)s”是承担主体，请先指定其他承担主体") % {"name": name},
            {"membership": _("承担主体不能移出")},
        )
    if membership.left_on is not None:
        raise DomainError("invalid", _("“%(name)s”已退出联盟") % {"name": name}, {"membership": _("已退出")})
    before = snapshot(membership)
    if alliance.status != AllianceStatus.ACTIVE:
        # Before acceptance a member is simply taken off the list.
        membership.delete()
        record_event(alliance, actor, "member_remove", N_("移出成员单位：%(name)s"), name=name)
        audit_record(
            actor=actor,
            action="alliance.member_remove",
            target_type="alliances.membership",
            target_id=before["id"],
            target_label=name,
            before=before,
        )
        return
    # A running alliance keeps the row (its past reports name the member) and must stay complete.
    on = left_on or schedule.today()
    if on < membership.joined_on:
        raise DomainError("invalid", _("退出日期不能早于加盟日期"), {"left_on": _("早于加盟日期")})
    membership.left_on = on
    membership.save(update_fields=["left_on"])
    remaining = list(alliance.memberships.select_related("organisation", "organisation__industry"))
    problems = check_composition(alliance, remaining)
    if problems:
        raise DomainError(
            "composition_broken",
            _("移出“%(name)s”后联盟不再符合组成要求：%(problems)s")
            % {"name": name, "problems": "；".join(p.message for p in problems)},
            {"membership": [p.message for p in problems]},
        )
    record_event(
        alliance, actor, "member_leave", N_("成员单位退出：%(name)s（%(on)s）"), name=name, on=on.isoformat()
    )
    audit_record(
        actor=actor,
        action="alliance.member_leave",
        target=membership,
        before=before,
        after=snapshot(membership),
    )


@transaction.atomic
def member_set_lead(*, membership: Membership, actor: Any) -> Membership:
    """D000 二(二): the lead (承担主体) is an enterprise leading its industry, and one of the members."""
    alliance = _locked(membership.alliance)
    _check_members_editable(alliance)
    membership = Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    organisation = membership.organisation
    if membership.left_on is not None:
        raise DomainError(
            "invalid", _("“%(name)s”已退出联盟") % {"name": organisation.name}, {"membership": _("已退出")}
        )
    if organisation.category != OrganisationCategory.ENTERPRISE:
        raise DomainError(
            "invalid_lead",
            _("“%(name)s”是%(category)s，承担主体应为企业")
            % {"name": organisation.name, "category": organisation.get_category_display()},
            {"membership": _("承担主体应为企业")},
        )
    previous = (
        Membership.objects.select_for_update()
        .filter(alliance=alliance, is_lead=True)
        .exclude(pk=membership.pk)
    )
    before = {"lead": list(previous.values_list("organisation_id", flat=True))}
    previous.update(is_lead=False)
    membership.is_lead = True
    membership.save(update_fields=["is_lead"])
    record_event(alliance, actor, "set_lead", N_("指定承担主体：%(name)s"), name=organisation.name)
    audit_record(
        actor=actor,
        action="alliance.set_lead",
        target=membership,
        before=before,
        after={"lead": [organisation.pk]},
    )
    return membership


@transaction.atomic
def member_annex1_update(*, membership: Membership, data: Mapping[str, Any], actor: Any) -> Membership:
    """Annex 1 (成员单位登记表): the member's contacts and staff counts, written to the organisation's own
    registry record (audited there) and marked as filled for this alliance."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("alliance", "organisation")
        .get(pk=membership.pk)
    )
    if membership.alliance.status == AllianceStatus.DISSOLVED:
        raise Conflict("invalid_state", _("联盟已解散，不能再填报登记表"))
    if membership.left_on is not None:
        raise Conflict("invalid_state", _("该单位已退出联盟，不能再填报登记表"))
    unknown = sorted(set(data) - set(ANNEX1_FIELDS))
    if unknown:
        raise invalid(dict.fromkeys(unknown, _("登记表没有该项")))
    registry_services.organisation_update(organisation=membership.organisation, data=dict(data), actor=actor)
    before = snapshot(membership, ["annex1_filled_at", "annex1_filled_by"])
    membership.annex1_filled_at = schedule.now()
    membership.annex1_filled_by = actor if getattr(actor, "is_authenticated", False) else None
    membership.save(update_fields=["annex1_filled_at", "annex1_filled_by"])
    record_event(
        membership.alliance,
        actor,
        "annex1",
        N_("填报成员单位登记表（附件1）：%(name)s"),
        name=membership.organisation.name,
    )
    audit_record(
        actor=actor,
        action="alliance.annex1",
        target=membership,
        before=before,
        after=snapshot(membership, ["annex1_filled_at", "annex1_filled_by"]),
    )
    return membership
