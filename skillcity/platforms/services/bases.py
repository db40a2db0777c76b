"""School–enterprise bases: application by a school with its enterprise partners, review (立项建设),
recognition (认定) making the EDU-BASE application through grants against the special fund. Each
function is one transaction with its audit row; a refusal is a DomainError naming the field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import _role
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.money import round_fen
from skillcity.grants import flows, outcomes
from skillcity.grants.models import Application, ApplicationState, Fund
from skillcity.grants.services.payments import FundMissing, funds_covering
from skillcity.grants.services.records import STANDING_EXCLUDED, application_from_records
from skillcity.platforms.models.bases import (
    BASE_SCHOOL_CATEGORIES,
    BasePartner,
    BaseState,
    SchoolEnterpriseBase,
)
from skillcity.policy.in_force import refusal_text
from skillcity.registry.models import Organisation, OrganisationCategory

RULE = "EDU-BASE"
SOURCE_PREFIX = "platforms.bases."
PARTNERS_MAX = 20
TEXT_MAX = {"name": 200, "field": 200, "plan": 4000, "note": 500, "contribution": 200}
PROVENANCE = "市级高水平校企合作基地认定（%(number)s）"
# Applications whose money is not yet committed against the fund (a commitment is written on approval).
UNCOMMITTED = (
    ApplicationState.DRAFT,
    ApplicationState.IN_REVIEW,
    ApplicationState.RETURNED,
    ApplicationState.REVIEWED,
    ApplicationState.IN_NOTICE,
)


def today() -> datetime.date:
    return timezone.localdate()


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def source_key(base: SchoolEnterpriseBase) -> str:
    return f"{SOURCE_PREFIX}base:{base.pk}"


def _require_bureau(actor: Any) -> None:
    if _role(actor) != "bureau_officer":
        raise PermissionDenied(_("只有人社局工作人员可以办理"))


def _lock(base: SchoolEnterpriseBase) -> SchoolEnterpriseBase:
    return SchoolEnterpriseBase.objects.select_for_update().get(pk=base.pk)


def _refuse(base: SchoolEnterpriseBase, action: str) -> DomainError:
    return DomainError(
        "bad_state",
        _("基地“%(n)s”当前状态为“%(s)s”，不能%(a)s")
        % {"n": base.name, "s": base.get_state_display(), "a": action},
        status=409,
    )


def _text(
    values: dict[str, str], errors: dict[str, str], name: str, label: str, required: bool = True
) -> str:
    value = (values.get(name) or "").strip()
    if required and not value:
        errors[name] = _("请填写%(l)s") % {"l": label}
    elif len(value) > TEXT_MAX[name]:
        errors[name] = _("%(l)s最多 %(n)s 字") % {"l": label, "n": TEXT_MAX[name]}
    return value


def partners_from_uscc(
    rows: list[tuple[str, str]], field: str = "partners"
) -> list[tuple[Organisation, str]]:
    """Registry organisations for (USCC, contribution) rows; every unknown code named at once."""
    codes = [code.strip().upper() for code, _c in rows]
    found = {o.uscc: o for o in Organisation.objects.filter(uscc__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        message = _("合作企业：没有找到统一社会信用代码为 %(c)s 的单位") % {"c": "、".join(missing)}
        raise DomainError("unknown_partner", message, {field: message})
    return [(found[code], contribution) for code, (_x, contribution) in zip(codes, rows, strict=True)]


# ---- application ---------------------------------------------------------------------------------


@transaction.atomic
def base_apply(
    *,
    actor: Any,
    school: Organisation,
    name: str,
    field: str,
    plan: str,
    partners: list[tuple[Organisation, str]],
    day: datetime.date | None = None,
) -> SchoolEnterpriseBase:
    """A school files a base with its enterprise partners (each an enterprise of the registry, named
    once, never the school itself). A school's user files only for its own school."""
    role = _role(actor)
    if role == "organisation_user":
        if actor.organisation_id != school.pk:
            raise PermissionDenied(_("只能为本单位申报"))
    elif role != "bureau_officer":
        raise PermissionDenied(_("只有院校或人社局工作人员可以申报"))
    errors: dict[str, str] = {}
    if school.category not in BASE_SCHOOL_CATEGORIES:
        errors["school"] = _("申报单位须为技工院校或职业院校（“%(s)s”登记为%(c)s）") % {
            "s": school.name,
            "c": school.get_category_display(),
        }
    values = {"name": name, "field": field, "plan": plan}
    name = _text(values, errors, "name", _("基地名称"))
    field = _text(values, errors, "field", _("合作专业（领域）"))
    plan = _text(values, errors, "plan", _("建设方案"))
    if not partners:
        errors["partners"] = _("请至少填写一家合作企业")
    elif len(partners) > PARTNERS_MAX:
        errors["partners"] = _("合作企业最多 %(n)s 家") % {"n": PARTNERS_MAX}
    else:
        seen: set[int] = set()
        for enterprise, contribution in partners:
            if enterprise.pk == school.pk:
                errors["partners"] = _("合作企业不能是申报院校本身")
            elif enterprise.category != OrganisationCategory.ENTERPRISE:
                errors["partners"] = _("“%(e)s”登记为%(c)s，不是企业") % {
                    "e": enterprise.name,
                    "c": enterprise.get_category_display(),
                }
            elif enterprise.pk in seen:
                errors["partners"] = _("合作企业“%(e)s”重复填写") % {"e": enterprise.name}
            elif len(contribution or "") > TEXT_MAX["contribution"]:
                errors["partners"] = _("合作内容最多 %(n)s 字") % {"n": TEXT_MAX["contribution"]}
            seen.add(enterprise.pk)
    if errors:
        raise DomainError(
            "invalid_base", _("基地申报信息有误：%(e)s") % {"e": "；".join(errors.values())}, errors
        )
    base = SchoolEnterpriseBase.objects.create(
        school=school,
        name=name,
        field=field,
        plan=plan,
        year=(day or today()).year,
        created_by=actor,
    )
    BasePartner.objects.bulk_create(
        [BasePartner(base=base, enterprise=e, contribution=(c or "").strip()) for e, c in partners]
    )
    audit_record(
        actor=actor,
        action="platforms.base.apply",
        target=base,
        after={**snapshot(base), "partners": [e.pk for e, _c in partners]},
    )
    return base


# ---- review and recognition ----------------------------------------------------------------------


@transaction.atomic
def base_review(
    *, actor: Any, base: SchoolEnterpriseBase, passed: bool, note: str = "", day: datetime.date | None = None
) -> SchoolEnterpriseBase:
    """审核: passed makes the base a 立项建设单位; a refusal needs its reason."""
    _require_bureau(actor)
    base = _lock(base)
    if base.state != BaseState.SUBMITTED:
        raise _refuse(base, _("审核"))
    note = (note or "").strip()
    if len(note) > TEXT_MAX["note"]:
        raise DomainError("note_too_long", _("审核意见最多 500 字"), {"note": _("最多 500 字")})
    if not passed and not note:
        raise DomainError("reason_required", _("请写明审核未通过的原因"), {"note": _("请写明原因")})
    before = base.state
    base.state = BaseState.APPROVED if passed else BaseState.REJECTED
    base.review_note, base.reviewed_on = note, day or today()
    base.save(update_fields=["state", "review_note", "reviewed_on"])
    audit_record(
        actor=actor,
        action="platforms.base.review",
        target=base,
        before={"state": before},
        after={"state": base.state, "note": note},
    )
    return base


def fund_of(year: int) -> Fund | None:
    """The EDU-BASE special fund covering `year` (one fund for 2022–2025, made from EDU-BASE.fund)."""
    return funds_covering(RULE, year, year).order_by("year").first()


def pending_amount(fund: Fund) -> Decimal:
    """What standing EDU-BASE applications in the fund's years will ask of it once approved: their
    amounts are not yet committed in the fund's ledger."""
    first, last = fund.year, fund.last_year or fund.year
    total = Decimal("0")
    rows = Application.objects.filter(
        rule_id=RULE, state__in=UNCOMMITTED, event_date__year__gte=first, event_date__year__lte=last
    ).only("decided_amount", "outcome")
    for app in rows:
        total += app.decided_amount or outcomes.default_amount(app.outcome) or Decimal("0")
    return total


def rule_last_year() -> int:
    """The last year EDU-BASE is in force (2025): after it, the special fund of its years is the one shown."""
    from skillcity.policy import params as P

    version = P.parameters()["EDU-BASE.per_base"].versions[-1]
    return version.effective_to.year if version.effective_to else today().year


def fund_status(year: int | None = None) -> dict[str, Any] | None:
    """The special fund as the bureau sees it: total, committed, spent, remaining, what is pending
    approval, and what is free for new recognitions. Without a year: the fund covering this year, or
    the rule's last year once it has ended (the special fund covers 2022–2025)."""
    fund = fund_of(year or min(today().year, rule_last_year()))
    if fund is None and year is None:
        fund = Fund.objects.filter(programme=RULE).order_by("-year").first()
    if fund is None:
        return None
    balances = fund.balances()
    pending = pending_amount(fund)
    return {"fund": fund, **balances, "pending": pending, "available": balances["remaining"] - pending}


@transaction.atomic
def base_recognise(
    *, actor: Any, base: SchoolEnterpriseBase, day: datetime.date | None = None
) -> Application:
    """认定: the base is recognised and its EDU-BASE application (1,000,000) made from this record and
    submitted into grants' review. Refused when the special fund's remaining amount, less what standing
    applications already ask of it, cannot carry the grant: the message shows the remaining amount.
    (grants refuses an approval past the remaining fund as well, at the approval itself.)"""
    _require_bureau(actor)
    base = _lock(base)
    if base.state != BaseState.APPROVED:
        raise _refuse(base, _("认定"))
    day = day or today()
    if day > today():
        raise DomainError("future_date", _("认定日期不能晚于今天"), {"recognised_on": _("不能晚于今天")})
    try:
        outcome = outcomes.evaluate(RULE, day, {"recognised": True})
    except DomainError as exc:
        text = refusal_text(RULE, day, exc)  # which document ended and when, next to the date
        raise DomainError(exc.code, text, {"recognised_on": text}, status=409) from None
    amount = outcomes.default_amount(outcome) if outcome.get("eligible") else None
    if amount is None:
        raise DomainError(
            "rule_not_in_force",
            _("认定日期 %(d)s 不在“市级高水平校企合作基地经费”的适用期内") % {"d": day},
            {"recognised_on": _("不在政策适用期内")},
            status=409,
        )
    found = fund_of(day.year)
    if found is None:
        raise FundMissing(RULE, day.year)
    fund = Fund.objects.select_for_update().get(pk=found.pk)  # two recognitions racing for the last of it
    remaining = fund.balances()["remaining"]
    pending = pending_amount(fund)
    if amount > remaining - pending:
        raise DomainError(
            "fund_exhausted",
            _(
                "“%(f)s”剩余 %(r)s 元，其中 %(p)s 元已由待核准的申请占用，可用 %(a)s 元，"
                "不足以支付本基地经费 %(m)s 元，不能认定"
            )
            % {
                "f": fund,
                "r": _yuan(remaining),
                "p": _yuan(pending),
                "a": _yuan(remaining - pending),
                "m": _yuan(round_fen(amount)),
            },
            {"fund": _("专项资金剩余 %(r)s 元") % {"r": _yuan(remaining)}},
            status=409,
        )
    seq = SchoolEnterpriseBase.objects.filter(year=day.year).exclude(number="").count() + 1
    number = f"XQ-{day.year}-{seq:03d}"
    while SchoolEnterpriseBase.objects.filter(number=number).exists():
        seq += 1
        number = f"XQ-{day.year}-{seq:03d}"
    base.state, base.recognised_on, base.number = BaseState.RECOGNISED, day, number
    base.save(update_fields=["state", "recognised_on", "number"])
    grant = application_from_records(
        actor=actor,
        rule_id=RULE,
        payee=base.school,
        event_date=day,
        facts={"recognised": True},
        fact_sources={"recognised": PROVENANCE % {"number": number}},
        source_key=source_key(base),
    )
    audit_record(
        actor=actor,
        action="platforms.base.recognise",
        target=base,
        before={"state": BaseState.APPROVED},
        after={"state": base.state, "number": number, "grant": grant.pk},
    )
    return grant


def grant_of(base: SchoolEnterpriseBase) -> Application | None:
    return (
        Application.objects.filter(source_key=source_key(base)).exclude(state__in=STANDING_EXCLUDED).first()
    )


def describe_source(key: str) -> str | None:
    """grants' source describer for "platforms.bases.…" keys."""
    parts = key[len(SOURCE_PREFIX) :].split(":")
    if len(parts) == 2 and parts[0] == "base":
        try:
            base = SchoolEnterpriseBase.objects.select_related("school").get(pk=int(parts[1]))
        except (ValueError, SchoolEnterpriseBase.DoesNotExist):
            return None
        return base_label(base)
    return None


def base_label(base: SchoolEnterpriseBase) -> str:
    """What the grants pages show as the source of a base's application."""
    return _("市级高水平校企合作基地 %(n)s（%(s)s，%(no)s）") % {
        "n": base.name,
        "s": base.school.name,
        "no": base.number or "—",
    }


flows.register_source_describer(SOURCE_PREFIX, describe_source)
