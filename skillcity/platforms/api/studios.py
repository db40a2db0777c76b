"""/api/v1/platforms/studios…: the master studios, the same reads and actions as the pages, and the
public list (no login)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import Id, IsoDate, Limit, money_type
from skillcity.core.errors import NotFound
from skillcity.core.masking import mask_name
from skillcity.platforms.models.studios import Studio, StudioReport
from skillcity.platforms.selectors import studios as selectors
from skillcity.platforms.services import studios as services
from skillcity.platforms.services.studios import COUNT_MAX, NEW_CITY_CAP
from skillcity.registry.models import Worker

router = Router(tags=["platforms"])

StudioCount = Annotated[int, Field(ge=0, le=COUNT_MAX)]
StudioYear = Annotated[int, Field(ge=2018, le=2100)]
StudioAmount = money_type(NEW_CITY_CAP)


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def _studio(s: Studio) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "organisation_id": s.organisation_id,
        "organisation": s.organisation.name,
        "lead_id": s.lead_id,
        "lead": s.lead.name,
        "occupation": s.occupation,
        "summary": s.summary,
        "state": s.state,
        "state_label": s.get_state_display(),
        "level": s.level or None,
        "level_label": s.get_level_display() if s.level else "",
        "applied_on": s.applied_on,
        "review_note": s.review_note,
        "recognised_on": s.recognised_on,
        "approved_amount": _money(s.approved_amount),
        "ended_on": s.ended_on,
        "end_reason": s.end_reason,
    }


def _report(r: StudioReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "year": r.year,
        "apprentices": [{"worker_id": a.worker_id, "name": a.worker.name} for a in r.apprentices.all()],
        "results": r.results,
        "results_count": r.results_count,
        "courses": r.courses,
        "courses_count": r.courses_count,
        "result": r.result,
        "result_label": r.get_result_display(),
        "evaluation_reasons": r.evaluation_reasons,
        "evaluated_on": r.evaluated_on,
    }


def _grant(row: dict[str, Any]) -> dict[str, Any]:
    g = row["application"]
    return {
        "grant_id": g.pk,
        "kind": row["kind"],
        "source": row["label"],
        "state": g.state,
        "state_label": g.get_state_display(),
        "requested_amount": _money(g.requested_amount),
        "decided_amount": _money(g.decided_amount),
    }


def _studio_for(request: HttpRequest, pk: int) -> Studio:
    studio = selectors.studios_for(acting_user(request)).filter(pk=pk).first()
    if studio is None:
        raise NotFound(_("工作室不存在或您无权查看"))
    return studio


@router.get("/studios", summary="Master studios the caller may see")
def studio_list(
    request: HttpRequest, state: str = "", level: str = "", q: str = "", limit: Limit = 100
) -> Any:
    rows = selectors.studios_for(acting_user(request), state=state, level=level, q=q)[:limit]
    return [_studio(s) for s in rows]


@router.get("/studios/progress", summary="T-STUDIOS: new studios per year against 200 by 2025, 50 a year")
def studio_progress(request: HttpRequest) -> Any:
    require_role(acting_user(request), "bureau_officer")
    p = selectors.progress()
    return {
        "target": selectors.TARGET_ID,
        "source": p.source,
        "target_total": p.target_total,
        "per_year": p.per_year,
        "total": p.total,
        "open_by_level": p.open_by_level,
        "years": [y.__dict__ for y in p.years],
    }


@router.get("/studios/public", auth=None, summary="Public: recognised, open studios (lead's name masked)")
def studio_public(request: HttpRequest, level: str = "", q: str = "", limit: Limit = 100) -> Any:
    return [
        {
            "id": s.pk,
            "name": s.name,
            "kind_label": s.get_kind_display(),
            "level": s.level,
            "level_label": s.get_level_display(),
            "occupation": s.occupation,
            "organisation": s.organisation.name,
            "town": s.organisation.town.name,
            "lead": mask_name(s.lead.name),
            "recognised_on": s.recognised_on,
        }
        for s in selectors.public_studios(level=level, q=q)[:limit]
    ]


@router.get("/studios/{pk}", summary="One studio with its upgrades, reports and grants")
def studio_detail(request: HttpRequest, pk: Id) -> Any:
    s = _studio_for(request, pk)
    return {
        **_studio(s),
        "upgrades": [
            {
                "level": u.level,
                "level_label": u.get_level_display(),
                "recognised_on": u.recognised_on,
                "document": u.document,
            }
            for u in s.upgrades.all()
        ],
        "reports": [_report(r) for r in s.reports.prefetch_related("apprentices__worker")],
        "grants": [_grant(row) for row in selectors.grant_rows(s)],
    }


class StudioApplyIn(Schema):
    name: str
    kind: Literal["master", "technician"] = "master"
    lead_id: Id
    occupation: str
    summary: str


@router.post("/studios", response={201: dict}, summary="Apply for a studio (the enterprise, for its worker)")
def studio_apply(request: HttpRequest, payload: StudioApplyIn) -> Any:
    user = acting_user(request)
    lead = Worker.objects.filter(pk=payload.lead_id).first()
    if lead is None:
        raise NotFound(_("领办人不在人才登记库中"))
    studio = services.studio_apply(
        actor=user,
        lead=lead,
        name=payload.name,
        kind=payload.kind,
        occupation=payload.occupation,
        summary=payload.summary,
    )
    return 201, _studio(studio)


class StudioReviewIn(Schema):
    passed: bool
    note: str = ""


@router.post("/studios/{pk}/review", summary="Review (bureau): pass, or reject with the reason")
def studio_review(request: HttpRequest, pk: Id, payload: StudioReviewIn) -> Any:
    s = services.studio_review(
        actor=acting_user(request), studio=_studio_for(request, pk), passed=payload.passed, note=payload.note
    )
    return _studio(s)


class StudioRecogniseIn(Schema):
    amount: StudioAmount  # type: ignore[valid-type]
    recognised_on: IsoDate | None = None


@router.post(
    "/studios/{pk}/recognise", summary="City recognition (bureau): PLT-STUDIO new_city through grants"
)
def studio_recognise(request: HttpRequest, pk: Id, payload: StudioRecogniseIn) -> Any:
    s, grant = services.studio_recognise(
        actor=acting_user(request),
        studio=_studio_for(request, pk),
        amount=payload.amount,
        recognised_on=payload.recognised_on,
    )
    return {**_studio(s), "grant_id": grant.pk}


class StudioUpgradeIn(Schema):
    level: Literal["provincial", "national"]
    recognised_on: IsoDate | None = None
    document: str


@router.post(
    "/studios/{pk}/upgrade", summary="Provincial/national recognition (bureau): the one-time award, once"
)
def studio_upgrade(request: HttpRequest, pk: Id, payload: StudioUpgradeIn) -> Any:
    upgrade, grant = services.studio_upgrade(
        actor=acting_user(request),
        studio=_studio_for(request, pk),
        level=payload.level,
        recognised_on=payload.recognised_on,
        document=payload.document,
    )
    return {**_studio(upgrade.studio), "grant_id": grant.pk}


class StudioCloseIn(Schema):
    reason: str
    ended_on: IsoDate | None = None


@router.post("/studios/{pk}/close", summary="Close a studio with the reason (bureau)")
def studio_close(request: HttpRequest, pk: Id, payload: StudioCloseIn) -> Any:
    s = services.studio_close(
        actor=acting_user(request),
        studio=_studio_for(request, pk),
        reason=payload.reason,
        ended_on=payload.ended_on,
    )
    return _studio(s)


class StudioReportIn(Schema):
    year: StudioYear
    apprentice_ids: list[Id] = Field(default_factory=list, max_length=services.APPRENTICES_MAX)
    results: str
    results_count: StudioCount
    courses: str = ""
    courses_count: StudioCount = 0


@router.post("/studios/{pk}/reports", response={201: dict}, summary="The yearly report (the enterprise)")
def studio_report(request: HttpRequest, pk: Id, payload: StudioReportIn) -> Any:
    studio = _studio_for(request, pk)
    ids = list(dict.fromkeys(payload.apprentice_ids))
    apprentices = list(Worker.objects.filter(pk__in=ids))
    if len(apprentices) != len(ids):
        raise NotFound(_("徒弟不在人才登记库中"))
    report = services.report_submit(
        actor=acting_user(request),
        studio=studio,
        year=payload.year,
        apprentices=apprentices,
        results=payload.results,
        results_count=payload.results_count,
        courses=payload.courses,
        courses_count=payload.courses_count,
    )
    return 201, _report(report)


class StudioEvaluateIn(Schema):
    passed: bool
    reasons: str = ""
    day: IsoDate | None = None


@router.post(
    "/studio-reports/{pk}/evaluate", summary="Evaluate a yearly report (bureau); a fail revokes the studio"
)
def studio_evaluate(request: HttpRequest, pk: Id, payload: StudioEvaluateIn) -> Any:
    user = acting_user(request)
    report = StudioReport.objects.filter(pk=pk, studio__in=selectors.studios_for(user)).first()
    if report is None:
        raise NotFound(_("年度报告不存在或您无权查看"))
    r = services.report_evaluate(
        actor=user, report=report, passed=payload.passed, reasons=payload.reasons, day=payload.day
    )
    return _report(r)
