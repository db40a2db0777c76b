"""Writes of matching (issue 19 §4): job needs, job seekers' needs, matches and the worker's answer,
and the enterprise's full view of an accepted candidate's contact details (audited).

Each write is one transaction with its audit row. Bad input raises DomainError naming the field's label
(`fields` keyed by the field's name, so a page puts the message next to it).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import get_for, require_role
from skillcity.core.audit import audit_personal_data_view, audit_record, snapshot
from skillcity.core.bounds import column_money_max
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.matching import selectors
from skillcity.matching.models import HEAD_COUNT_MAX, JobFair, JobNeed, Match, SeekerNeed
from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, Town, Worker

WAGE_MAX = column_money_max(JobNeed._meta.get_field("wage_max"))
DESCRIPTION_MAX = 500
START_MIN, START_MAX = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def _label(field: str) -> str:
    return str(getattr(JobNeed._meta.get_field(field), "verbose_name", field))


def _need_errors(
    *,
    occupation: Occupation,
    level: int,
    head_count: int,
    wage_min: Decimal,
    wage_max: Decimal,
    start: datetime.date,
    description: str,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not occupation.has_levels:
        errors["occupation"] = _("%(label)s“%(name)s”不设技能等级，不能按等级招聘") % {
            "label": _label("occupation"),
            "name": occupation.name,
        }
    if not 1 <= level <= 5:
        errors["level"] = _("%(label)s应为一级至五级") % {"label": _label("level")}
    if not 1 <= head_count <= HEAD_COUNT_MAX:
        errors["head_count"] = _("%(label)s应为1至%(max)s之间的整数") % {
            "label": _label("head_count"),
            "max": HEAD_COUNT_MAX,
        }
    for name, value in (("wage_min", wage_min), ("wage_max", wage_max)):
        if value < 0 or value > WAGE_MAX or value != value.quantize(Decimal("0.01")):
            errors[name] = _("%(label)s应为0至%(max)s之间、最多两位小数的金额") % {
                "label": _label(name),
                "max": WAGE_MAX,
            }
    if "wage_min" not in errors and "wage_max" not in errors and wage_min > wage_max:
        errors["wage_max"] = _("%(high)s不能小于%(low)s") % {
            "high": _label("wage_max"),
            "low": _label("wage_min"),
        }
    if not START_MIN <= start <= START_MAX:
        errors["start"] = _("%(label)s应在2000年至2100年之间") % {"label": _label("start")}
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("%(label)s不能超过%(n)s个字符") % {
            "label": _label("description"),
            "n": DESCRIPTION_MAX,
        }
    return errors


def _enterprise_of(actor: Any) -> Organisation:
    require_role(actor, "organisation_user")
    enterprise = actor.organisation
    if enterprise is None or enterprise.category != OrganisationCategory.ENTERPRISE:
        raise PermissionDenied(_("只有企业的经办人可以发布用工需求"))
    return enterprise  # type: ignore[no-any-return]


@transaction.atomic
def job_need_create(
    *,
    actor: Any,
    occupation: Occupation,
    level: int,
    town: Town,
    head_count: int,
    wage_min: Decimal,
    wage_max: Decimal,
    start: datetime.date,
    description: str = "",
    fair: JobFair | None = None,
) -> JobNeed:
    """An enterprise posts a skilled-job need, and it is proposed at once to the job seekers it fits."""
    enterprise = _enterprise_of(actor)
    errors = _need_errors(
        occupation=occupation,
        level=level,
        head_count=head_count,
        wage_min=wage_min,
        wage_max=wage_max,
        start=start,
        description=description,
    )
    if fair is not None and not selectors.fairs_of_enterprise(enterprise.pk, timezone.localdate()).filter(
        pk=fair.pk
    ):
        errors["fair"] = _("%(label)s：本企业未报名参加该招聘会，或招聘会已结束") % {"label": _label("fair")}
    if errors:
        raise DomainError("invalid", _("用工需求填写有误"), errors)
    need = JobNeed.objects.create(
        enterprise=enterprise,
        occupation=occupation,
        level=level,
        town=town,
        head_count=head_count,
        wage_min=wage_min,
        wage_max=wage_max,
        start=start,
        description=description.strip(),
        fair=fair,
        created_by=actor,
    )
    audit_record(actor=actor, action="matching.need.create", target=need, after=snapshot(need))
    _propose_to_seekers(need)
    return need


def _propose_to_seekers(need: JobNeed) -> int:
    found = selectors.seekers_qualifying(need)
    # A job seeker recording their need at the same moment may have been matched to this need by
    # their own write: the unique (need, worker) keeps one, and this write goes on.
    Match.objects.bulk_create(
        (Match(need=need, seeker_need=s, worker_id=s.worker_id) for s, _why in found), ignore_conflicts=True
    )
    return len(found)


@transaction.atomic
def job_need_set_state(*, actor: Any, need: JobNeed, state: str) -> JobNeed:
    """The enterprise marks its need filled or closed, or reopens it."""
    need = JobNeed.objects.select_for_update().get(pk=need.pk)
    if actor.role != "organisation_user" or actor.organisation_id != need.enterprise_id:
        raise PermissionDenied(_("只有发布该需求的企业可以更改其状态"))
    if state not in JobNeed.State.values:
        raise DomainError("invalid", _("状态无效"), {"state": _("状态无效")})
    before = need.state
    if state == before:
        return need
    need.state = state
    need.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        action="matching.need.state",
        target=need,
        before={"state": before},
        after={"state": state},
    )
    if state == JobNeed.State.OPEN:
        _propose_to_seekers(need)
    return need


@transaction.atomic
def seeker_need_record(*, actor: Any, occupation: Occupation, towns: list[Town]) -> SeekerNeed:
    """A job seeker records what they look for: an occupation and the towns they would work in. Their
    level is not asked: it is read from their certificates. Recording it again replaces the towns."""
    require_role(actor, "worker")
    worker: Worker | None = actor.worker
    if worker is None:
        raise PermissionDenied(_("请以已实名关联劳动者登记的账号操作"))
    errors: dict[str, str] = {}
    if not towns:
        errors["towns"] = _("请至少选择一个意向镇街")
    elif len(towns) > 10:
        errors["towns"] = _("意向镇街最多选择10个")
    if errors:
        raise DomainError("invalid", _("求职意向填写有误"), errors)
    seeker, created = SeekerNeed.objects.select_for_update().get_or_create(
        worker=worker, occupation=occupation
    )
    before = None if created else {"state": seeker.state, "towns": sorted(t.pk for t in seeker.towns.all())}
    seeker.towns.set(towns)
    if seeker.state != SeekerNeed.State.ACTIVE:
        seeker.state = SeekerNeed.State.ACTIVE
        seeker.save(update_fields=["state", "updated_at"])
        # The matches its withdrawal declined (never answered) are proposed again.
        Match.objects.filter(
            seeker_need=seeker,
            state=Match.State.DECLINED,
            responded_at__isnull=True,
            need__state=JobNeed.State.OPEN,
        ).update(state=Match.State.PROPOSED)
    audit_record(
        actor=actor,
        action="matching.seeker_need.record",
        target=seeker,
        before=before,
        after={"occupation": occupation.pk, "towns": sorted(t.pk for t in towns)},
    )
    Match.objects.bulk_create(
        (Match(need=need, seeker_need=seeker, worker=worker) for need in selectors.needs_qualifying(seeker)),
        ignore_conflicts=True,
    )
    return seeker


@transaction.atomic
def seeker_need_withdraw(*, actor: Any, seeker: SeekerNeed) -> SeekerNeed:
    seeker = SeekerNeed.objects.select_for_update().get(pk=seeker.pk)
    if actor.role != "worker" or actor.worker_id != seeker.worker_id:
        raise PermissionDenied(_("只能撤回本人的求职意向"))
    if seeker.state == SeekerNeed.State.WITHDRAWN:
        return seeker
    seeker.state = SeekerNeed.State.WITHDRAWN
    seeker.save(update_fields=["state", "updated_at"])
    # The matches still waiting for an answer go with the need: none can be accepted after it.
    # (Declined without an answer: responded_at stays empty, so recording the need again re-proposes them.)
    withdrawn = Match.objects.filter(seeker_need=seeker, state=Match.State.PROPOSED).update(
        state=Match.State.DECLINED
    )
    audit_record(
        actor=actor,
        action="matching.seeker_need.withdraw",
        target=seeker,
        after={"matches_declined": withdrawn},
    )
    return seeker


@transaction.atomic
def match_respond(*, actor: Any, match: Match, accept: bool) -> Match:
    """The worker accepts (their contact details open to the enterprise) or declines a match."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if actor.role != "worker" or actor.worker_id != match.worker_id:
        raise PermissionDenied(_("只能回复本人的岗位匹配"))
    if match.state != Match.State.PROPOSED:
        raise DomainError(
            "not_proposed", _("该匹配已是“%(s)s”，不能再回复") % {"s": match.get_state_display()}, status=409
        )
    if accept and match.need.state != JobNeed.State.OPEN:
        raise DomainError(
            "need_not_open",
            _("该岗位需求已是“%(s)s”，不能接受") % {"s": match.need.get_state_display()},
            status=409,
        )
    match.state = Match.State.ACCEPTED if accept else Match.State.DECLINED
    match.responded_at = timezone.now()
    match.save(update_fields=["state", "responded_at"])
    audit_record(
        actor=actor,
        action="matching.match.accept" if accept else "matching.match.decline",
        target=match,
        before={"state": Match.State.PROPOSED},
        after={"state": match.state},
    )
    return match


def match_contact_view(*, actor: Any, match: Match) -> selectors.Contact:
    """The full name, phone and ID number of a candidate: for the enterprise once the worker accepted,
    and for officers in scope; each view is written to the audit log (PIPL), as the registry does."""
    enterprise_side = actor.role == "organisation_user" and actor.organisation_id == match.need.enterprise_id
    if not (enterprise_side or getattr(actor, "sees_personal_data", False)):
        raise PermissionDenied(_("您无权查看该求职者的联系方式"))
    if enterprise_side and not match.contact_open:
        raise DomainError("not_accepted", _("求职者接受匹配后才能查看其完整联系方式"), status=403)
    if not enterprise_side:
        # An officer sees a worker's full details only within their scope (a town officer: their
        # town's workers), as the registry does; seeing the match is not enough.
        get_for(actor, Worker.objects.all(), match.worker_id)
    audit_personal_data_view(actor=actor, target=match.worker, field="name,phone,id_number")
    return selectors.contact_full(match)
