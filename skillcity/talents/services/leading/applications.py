"""Leading talents: the yearly call, applications with the applicant's records attached, the formal check."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record, snapshot
from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.registry.models import SkillRecord, Worker
from skillcity.talents.models.leading import (
    LeadingApplication,
    LeadingCall,
    LeadingState,
    TitleRoute,
)
from skillcity.talents.services.leading.common import (
    EVIDENCE_MAX,
    GROUNDS_MAX,
    _evidence_save,
    _lock,
    _refuse,
    _require_bureau,
    default_criteria,
    today,
)

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
