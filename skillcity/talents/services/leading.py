"""Leading talents (技能领军人才): calls, applications with the records attached, formal check, the expert
panel (conflicts refused), shortlist into the grants public notice, recognition, and the subsidies claimed
through grants. Each function is one transaction with its audit row."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core import bounds
from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.core.money import round_fen
from skillcity.core.uploads import check_upload_size
from skillcity.grants import flows, outcomes
from skillcity.grants import services as grants
from skillcity.grants.models import Application, ApplicationState, Objection
from skillcity.grants.services.records import application_from_records
from skillcity.registry.models import SkillRecord, Worker
from skillcity.registry.services import skill_record_add
from skillcity.talents.models.leading import (
    Assignment,
    Evidence,
    LeadingApplication,
    LeadingCall,
    LeadingState,
    PanelMember,
    Recognition,
    Score,
    TitleRoute,
)

CRITERIA_FILE = Path(__file__).resolve().parent.parent / "data" / "leading_criteria.yaml"
GROUNDS_MAX = 2000
EVIDENCE_MAX = 10
SOURCE_PREFIX = "talents."
PROVENANCE = "技能领军人才认定（第%(n)s号申报）"

# D002 item 13: these titles open the route to leading-talent class 1 / class 2. The documents name
# the four titles and the two classes without pairing them; national → class 1, provincial → class 2
# is this platform's reading, shown as such on the page (docs/talents.md).
TITLE_ROUTE: dict[str, str] = {
    SkillRecord.Honour.CHINA_SKILLS_AWARD: TitleRoute.CLASS1,
    SkillRecord.Honour.NATIONAL_TECHNICAL_EXPERT: TitleRoute.CLASS1,
    SkillRecord.Honour.NANYUE_TECHNICAL_EXPERT: TitleRoute.CLASS2,
    SkillRecord.Honour.GUANGDONG_TECHNICAL_EXPERT: TitleRoute.CLASS2,
}

# Hook: the studio a person leads. The card part's studio import (or the platforms issue) registers a
# function worker -> list of record dicts here; until one does, no studio record is attached.
STUDIO_SOURCES: list[Callable[[Worker], list[dict[str, str]]]] = []


def today() -> datetime.date:
    return timezone.localdate()


@cache
def default_criteria() -> list[dict[str, Any]]:
    data = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))
    return [{"code": c["code"], "label": c["label"], "max": int(c["max"])} for c in data["criteria"]]


def _require_bureau(actor: Any) -> None:
    if not flows.user_has_stage_role(actor, "bureau_officer"):
        raise PermissionDenied(_("只有市人社局工作人员可以执行此操作"))


def subsidy_date(call: LeadingCall, day: datetime.date) -> datetime.date:
    """The event date of a call's subsidies: the day itself within the call's year, else its last day
    (the rule in force for the year the talent was recognised governs the subsidy)."""
    return min(day, datetime.date(call.year, 12, 31))


# ---- calls ---------------------------------------------------------------------------------------


@transaction.atomic
def call_create(
    *, actor: Any, year: int, title: str, opens_on: datetime.date, closes_on: datetime.date, quota: int
) -> LeadingCall:
    _require_bureau(actor)
    errors: dict[str, str] = {}
    if not 2022 <= year <= 2100:
        errors["year"] = _("年度应在2022至2100之间")
    if not title.strip():
        errors["title"] = _("请填写名称")
    if closes_on < opens_on:
        errors["closes_on"] = _("申报截止不能早于申报开始")
    if not 1 <= quota <= 1000:
        errors["quota"] = _("计划认定名额应为1至1000")
    if errors:
        raise DomainError("invalid", _("申报通知信息有误"), errors)
    if LeadingCall.objects.filter(year=year).exists():
        raise Conflict("call_exists", _("%(y)s年度的申报通知已存在") % {"y": year}, {"year": _("该年度已有")})
    call = LeadingCall.objects.create(
        year=year,
        title=title.strip()[:200],
        opens_on=opens_on,
        closes_on=closes_on,
        quota=quota,
        criteria=default_criteria(),
        created_by=actor,
    )
    audit_record(actor=actor, action="talents.leading_call.create", target=call, after=snapshot(call))
    return call


# ---- the applicant's records -------------------------------------------------------------------


def applicant_records(worker: Worker, as_of: datetime.date | None = None) -> list[dict[str, str]]:
    """What the platform knows of the worker on `as_of` (today by default): honours (titles), valid
    certificates, competition awards, and the studio they lead — each with where it came from."""
    day = as_of or today()
    from skillcity.certification.models import Certificate

    rows: list[dict[str, str]] = []
    # A revoked title (competitions.Title "revoked") is no longer a fact, as in certification.facts.
    honours = SkillRecord.objects.filter(worker=worker, kind=SkillRecord.Kind.HONOUR, obtained_on__lte=day)
    for r in (
        honours.exclude(title__status="revoked")
        .exclude(certificate__status=Certificate.Status.REVOKED)
        .order_by("obtained_on")
    ):
        rows.append(
            {
                "kind": "honour",
                "code": r.honour,
                "label": str(r.get_honour_display()),
                "date": r.obtained_on.isoformat(),
                "source": _("人才登记库·荣誉称号"),
            }
        )
    for c in Certificate.objects.filter(
        worker=worker, status=Certificate.Status.VALID, issued_on__lte=day
    ).select_related("occupation"):
        rows.append(
            {
                "kind": "certificate",
                "code": str(c.level),
                "label": f"{c.occupation.name} {c.level_name}（{c.number}）",
                "date": c.issued_on.isoformat(),
                "source": _("职业技能等级证书"),
            }
        )
    from skillcity.competitions.models import Result

    for res in (
        Result.objects.filter(entry__players__worker=worker, project__competition__year__lte=day.year)
        .exclude(award="")
        .select_related("project__competition")
    ):
        rows.append(
            {
                "kind": "competition",
                "code": res.award,
                "label": f"{res.project.competition.name} · {res.project.name} · {res.get_award_display()}",
                "date": str(res.project.competition.year),
                "source": _("竞赛成绩"),
            }
        )
    for source in STUDIO_SOURCES:
        rows.extend(source(worker))
    return rows


def title_route(records: Iterable[dict[str, str]]) -> str:
    """The best class a national/provincial title opens (class 1 before class 2), or "". A record
    marked revoked (a title withdrawn since the records were read) opens nothing."""
    routes = {
        TITLE_ROUTE[r["code"]]
        for r in records
        if r["kind"] == "honour" and r["code"] in TITLE_ROUTE and not r.get("revoked")
    }
    if TitleRoute.CLASS1 in routes:
        return TitleRoute.CLASS1
    return TitleRoute.CLASS2 if routes else ""


def _evidence_save(uploads: Iterable[UploadedFile], actor: Any, **owner: Any) -> list[Evidence]:
    saved = []
    for upload in uploads:
        check_upload_size(upload, field="evidence", label=_("证明材料"))
        if not upload.size:
            raise DomainError("bad_file", _("证明材料是空文件"), {"evidence": _("空文件")})
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        saved.append(
            Evidence.objects.create(
                file=upload,
                name=(upload.name or "file")[:200],
                sha256=digest.hexdigest(),
                size=upload.size or 0,
                uploaded_by=actor,
                **owner,
            )
        )
    return saved


# ---- applications --------------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    call: LeadingCall,
    grounds: str,
    worker: Worker | None = None,
    introduced_on: datetime.date | None = None,
    uploads: Iterable[UploadedFile] = (),
    day: datetime.date | None = None,
) -> LeadingApplication:
    """A worker applies for themselves, or a unit for one of its workers; the records are attached by
    the platform, the grounds stated, the evidence uploaded."""
    day = day or today()
    role = getattr(actor, "role", "")
    if role == "worker" and actor.worker_id:
        worker, by_unit = actor.worker, False
        introduced_on = None
    elif role == "organisation_user" and actor.organisation_id:
        if worker is None or worker.employer_id != actor.organisation_id:
            raise DomainError("not_employee", _("只能为本单位职工申报"), {"worker": _("不是本单位职工")})
        by_unit = True
    else:
        raise PermissionDenied(_("只有劳动者本人或其所在单位可以申报"))
    assert worker is not None
    if not call.opens_on <= day <= call.closes_on:
        raise DomainError(
            "call_closed",
            _("申报时间为 %(a)s 至 %(b)s，当前不在申报期内") % {"a": call.opens_on, "b": call.closes_on},
            status=409,
        )
    grounds = (grounds or "").strip()
    if not grounds or len(grounds) > GROUNDS_MAX:
        raise DomainError(
            "grounds_required",
            _("请填写申报理由（2000字以内）"),
            {"grounds": _("请填写申报理由（2000字以内）")},
        )
    if introduced_on is not None and introduced_on > day:
        raise DomainError("bad_date", _("引进日期不能晚于今天"), {"introduced_on": _("不能晚于今天")})
    uploads = list(uploads)
    if len(uploads) > EVIDENCE_MAX:
        raise DomainError("too_many_files", _("证明材料最多10个文件"), {"evidence": _("最多10个文件")})
    if LeadingApplication.objects.filter(call=call, worker=worker).exists():
        raise Conflict("already_applied", _("%(w)s 已申报本年度技能领军人才") % {"w": worker.name})
    records = applicant_records(worker, day)
    app = LeadingApplication.objects.create(
        call=call,
        worker=worker,
        unit=worker.employer,
        by_unit=by_unit,
        introduced_on=introduced_on,
        grounds=grounds,
        records=records,
        route=title_route(records),
        created_by=actor,
    )
    _evidence_save(uploads, actor, leading=app)
    audit_record(actor=actor, action="talents.leading.submit", target=app, after=snapshot(app))
    return app


def _lock(app: LeadingApplication) -> LeadingApplication:
    return LeadingApplication.objects.select_for_update().select_related("call", "worker").get(pk=app.pk)


def _refuse(app: LeadingApplication, action: str) -> DomainError:
    return DomainError(
        "illegal_transition",
        _("申报当前状态为“%(s)s”，不能%(a)s") % {"s": app.get_state_display(), "a": action},
        {"state": app.state},
        status=409,
    )


@transaction.atomic
def formal_check(
    *, actor: Any, application: LeadingApplication, passed: bool, note: str = ""
) -> LeadingApplication:
    """形式审查: passed → to the expert panel; failed needs the reason."""
    _require_bureau(actor)
    app = _lock(application)
    if app.state != LeadingState.SUBMITTED:
        raise _refuse(app, _("形式审查"))
    note = (note or "").strip()[:500]
    if not passed and not note:
        raise DomainError("reason_required", _("形式审查未通过必须写明原因"), {"note": _("必须填写")})
    app.state = LeadingState.IN_PANEL if passed else LeadingState.FORMAL_FAILED
    app.formal_note = note
    app.save(update_fields=["state", "formal_note"])
    audit_record(
        actor=actor,
        action="talents.leading.formal_check",
        target=app,
        after={"state": app.state, "note": note},
    )
    return app


# ---- the expert panel ---------------------------------------------------------------------------


@transaction.atomic
def panel_member_add(*, actor: Any, call: LeadingCall, worker: Worker) -> PanelMember:
    _require_bureau(actor)
    # A member scores on their phone, signed in: a worker without an active account could never score,
    # and the applications given to them would wait for ever.
    from skillcity.accounts.models import User

    if not User.objects.filter(worker=worker, is_active=True).exists():
        msg = _("%(w)s 没有可用的平台账号，不能担任评审专家（须先为其开通劳动者账号）") % {"w": worker.name}
        raise DomainError("no_account", msg, {"worker": msg}, status=409)
    if PanelMember.objects.filter(call=call, worker=worker).exists():
        raise Conflict("member_exists", _("%(w)s 已是本年度评审专家") % {"w": worker.name})
    member = PanelMember.objects.create(call=call, worker=worker, chosen_by=actor)
    audit_record(actor=actor, action="talents.panel.add", target=member, after={"worker": worker.pk})
    return member


@transaction.atomic
def panel_member_withdraw(*, actor: Any, call: LeadingCall, worker: Worker, reason: str) -> None:
    """A panel member with no application given to them yet steps down (an expert drawn from the pool
    who declined, issue 17 §5); one already assigned stays, the assignment being the record."""
    _require_bureau(actor)
    member = PanelMember.objects.select_for_update().filter(call=call, worker=worker).first()
    if member is None:
        return
    if Assignment.objects.filter(member=member).exists():
        raise Conflict("member_assigned", _("%(w)s已分配评审申报，不能退出评审组") % {"w": worker.name})
    before = snapshot(member)
    member.delete()
    audit_record(
        actor=actor,
        action="talents.panel.withdraw",
        target_type="talents.panelmember",
        target_id=before["id"],
        target_label=worker.name,
        before=before,
        after={"reason": reason},
    )


def conflict_reason(member: PanelMember, app: LeadingApplication) -> str:
    """Why this member may not score this application ("" when they may)."""
    if member.worker_id == app.worker_id:
        return _("评审专家不能评审本人的申报")
    employer = member.worker.employer_id
    if employer is not None and employer in (app.unit_id, app.worker.employer_id):
        return _("评审专家%(m)s与申报人同属“%(u)s”，应当回避") % {
            "m": member.worker.name,
            "u": member.worker.employer.name if member.worker.employer else "",
        }
    return ""


@transaction.atomic
def assign(*, actor: Any, application: LeadingApplication, member: PanelMember) -> Assignment:
    """Give an application to a panel member; a member from the applicant's unit is refused."""
    _require_bureau(actor)
    app = _lock(application)
    if app.state != LeadingState.IN_PANEL:
        raise _refuse(app, _("分配评审专家"))
    if member.call_id != app.call_id:
        raise DomainError("wrong_call", _("该专家不属于本年度评审组"), {"member": _("不属于本年度")})
    reason = conflict_reason(member, app)
    if reason:
        raise DomainError("panel_conflict", reason, {"member": reason}, status=409)
    if Assignment.objects.filter(member=member, application=app).exists():
        raise Conflict("already_assigned", _("该专家已分配评审此申报"))
    assignment = Assignment.objects.create(member=member, application=app)
    audit_record(actor=actor, action="talents.panel.assign", target=app, after={"member": member.worker_id})
    return assignment


def parse_points(raw: Any, maximum: int, label: str, code: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(
            "bad_points", _("“%(l)s”请填写分数") % {"l": label}, {code: _("请填写分数")}
        ) from None
    if not value.is_finite() or value < 0 or value > maximum or value != value.quantize(Decimal("0.1")):
        msg = _("“%(l)s”应为0至%(m)s分（最多一位小数）") % {"l": label, "m": maximum}
        raise DomainError("bad_points", msg, {code: msg})
    return value


@transaction.atomic
def scores_submit(*, actor: Any, assignment: Assignment, points: dict[str, Any]) -> Assignment:
    """The member's scoring sheet: every criterion of the call, within its maximum, submitted once."""
    a = (
        Assignment.objects.select_for_update()
        .select_related("member__call", "application")
        .get(pk=assignment.pk)
    )
    if getattr(actor, "worker_id", None) != a.member.worker_id:
        raise PermissionDenied(_("只有被分配的评审专家本人可以评分"))
    if a.submitted_at is not None:
        raise Conflict("already_scored", _("评分表已提交，不能修改"))
    if a.application.state != LeadingState.IN_PANEL:
        raise _refuse(a.application, _("评分"))
    parsed: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for c in a.member.call.criteria:
        try:
            parsed[c["code"]] = parse_points(points.get(c["code"], ""), int(c["max"]), c["label"], c["code"])
        except DomainError as exc:
            errors.update(exc.fields or {})
    if errors:
        raise DomainError("bad_points", _("评分表有误，请按标准逐项填写"), errors)
    for code, value in parsed.items():
        Score.objects.create(assignment=a, criterion=code, points=value)
    a.submitted_at = timezone.now()
    a.save(update_fields=["submitted_at"])
    audit_record(
        actor=actor,
        action="talents.panel.score",
        target=a.application,
        after={"member": a.member.worker_id, "points": {k: str(v) for k, v in parsed.items()}},
    )
    return a


def average_score(app: LeadingApplication) -> Decimal | None:
    """The mean of the submitted sheets' totals (one decimal), or None before any sheet."""
    # From `assignments` and their `scores` as prefetched by the list (selectors.call_applications):
    # no query per row there; one or two here otherwise.
    totals = []
    for a in app.assignments.all():
        if a.submitted_at is not None:
            totals.append(sum((s.points for s in a.scores.all()), Decimal("0")))
    if not totals:
        return None
    return (sum(totals, Decimal("0")) / len(totals)).quantize(Decimal("0.1"))


# ---- shortlist, notice, recognition ----------------------------------------------------------------


def source_key(app: LeadingApplication, item: str) -> str:
    return f"talents.leading:{app.pk}:{item}"


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


# ---- the subsidies a recognition opens ------------------------------------------------------------


def parse_money(raw: Any, field: str, label: str) -> Decimal:
    """A positive amount in yuan (at most two decimals, no exponent, at most MONEY_MAX); the error
    names the field's label ("1e30" once reached quantize unguarded and failed the page)."""
    if str(raw if raw is not None else "").strip() == "":
        raise DomainError("bad_amount", _("请填写%(l)s") % {"l": label}, {field: _("请填写金额")})
    try:
        value = bounds.parse_money(raw)
    except ValueError as exc:
        msg = _("%(l)s：%(e)s") % {"l": label, "e": str(exc)}
        raise DomainError("bad_amount", msg, {field: msg}) from None
    if value <= 0:
        msg = _("%(l)s应为正数，最多两位小数") % {"l": label}
        raise DomainError("bad_amount", msg, {field: _("应为正数，最多两位小数")})
    return value


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
