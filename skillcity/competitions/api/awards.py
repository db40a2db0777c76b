"""/api/v1/competitions/awards/: the claimable awards of a competition and the one action that makes
their grants applications; a unit's awards and claims; the bureau's results import (multipart .xlsx,
every bad row listed); training camps."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Router
from ninja.files import UploadedFile

from skillcity.competitions.models import ContestProject, TrainingCamp
from skillcity.competitions.selectors import awards as selectors
from skillcity.competitions.services import awards as services
from skillcity.competitions.services import camps, imports
from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import Id, IsoDate
from skillcity.core.errors import DomainError, NotFound
from skillcity.core.exports import xlsx_response
from skillcity.core.money import money_str
from skillcity.core.schemas import InputSchema
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Organisation

router = Router(tags=["competitions"])


class GenerateIn(InputSchema):
    source_key: str = ""


class CampTraineeIn(InputSchema):
    id_number: str
    months: Annotated[int, Field(ge=1, le=36)]


class CampIn(InputSchema):
    project_id: Id
    unit_uscc: str = ""
    starts_on: IsoDate
    ends_on: IsoDate
    selection_level: str = ""
    trainees: list[CampTraineeIn] = []


def _claim_out(row: dict[str, Any]) -> dict[str, Any]:
    app = row["application"]
    return {
        "rule_id": row["rule_id"],
        "rule": row["rule"],
        "payee": row["payee"],
        "payee_kind": row["payee_kind"],
        "record": row["record"],
        "event_date": row["event_date"].isoformat(),
        "facts": [{"label": label, "value": value} for label, value in row["facts"]],
        "fact_sources": row["fact_sources"],
        "eligible": row["eligible"],
        "basis": row["basis"],
        "amount": row["amount"],
        "min": row["min"],
        "max": row["max"],
        "reasons": row["reasons"],
        "source_key": row["source_key"],
        "application": (
            {"id": app.pk, "state": app.state, "state_label": app.get_state_display()} if app else None
        ),
    }


@router.get("/awards/competitions", summary="Competitions the user may make awards for")
def competitions(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer", "organisation_user")
    return [
        {
            "id": c.pk,
            "name": c.name,
            "year": c.year,
            "level": c.level,
            "level_label": c.get_level_display(),
            "organiser": c.organiser_label,
            "confirmed_projects": c.confirmed,  # type: ignore[attr-defined]
        }
        for c in selectors.competitions_for_awards(user)[: selectors.LIST_MAX]
    ]


@router.get("/awards/competitions/{pk}/claims", summary="Every claimable award, its outcome and application")
def claims(request: HttpRequest, pk: Id) -> Any:
    found = selectors.competition_for_awards(acting_user(request), pk)
    return [_claim_out(selectors.claim_row(c)) for c in services.claims_for(found)]


@router.post(
    "/awards/competitions/{pk}/generate",
    summary="Make the grants applications of every unclaimed award (or of one source_key)",
)
def generate(request: HttpRequest, pk: Id, body: GenerateIn) -> Any:
    user = acting_user(request)
    found = selectors.competition_for_awards(user, pk)
    made = services.awards_generate(competition=found, actor=user, source_key=body.source_key)
    return {"made": [{"id": a.pk, "rule_id": a.rule_id, "source_key": a.source_key} for a in made]}


@router.get("/awards/mine", summary="A unit's results, the applications made for it and its camps")
def mine(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "organisation_user")
    org = user.organisation_id
    if org is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return {
        "results": [
            {
                "competition": r.project.competition.name,
                "year": r.project.competition.year,
                "project": r.project.name,
                "players": [p.worker.name for p in r.entry.players.all()],
                "rank": r.rank,
                "award": r.award,
                "award_label": r.get_award_display(),
            }
            for r in selectors.unit_results(org)
        ],
        "applications": [
            {
                "id": a.pk,
                "rule_id": a.rule_id,
                "payee": a.applicant_name,
                "state": a.state,
                "state_label": a.get_state_display(),
                "decided_amount": money_str(a.decided_amount),
                "source_key": a.source_key,
            }
            for a in selectors.unit_applications(org)
        ],
        "camps": [_camp_out(c) for c in selectors.unit_camps(org)],
    }


def _camp_out(camp: TrainingCamp) -> dict[str, Any]:
    return {
        "id": camp.pk,
        "project_id": camp.project_id,
        "unit": camp.unit.name,
        "starts_on": camp.starts_on.isoformat(),
        "ends_on": camp.ends_on.isoformat(),
        "selection_level": camp.selection_level,
        "completed": camp.completed,
    }


@router.get("/awards/imports/template", summary="The .xlsx layout of the results import")
def import_template(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), "bureau_officer")
    return xlsx_response(imports.template_workbook(), "competition-results-template.xlsx")


@router.post(
    "/awards/imports",
    response={200: dict, 400: dict},
    summary="Import provincial/national/WorldSkills results (.xlsx); 400 lists every bad row",
)
def import_results(request: HttpRequest, file: File[UploadedFile]) -> Any:
    user = acting_user(request)
    report = imports.results_import(
        filename=file.name or "", content=read_upload(file, label=_("导入文件")), actor=user
    )
    if report.errors:
        rows = [{"row": e.row, "column": e.column, "reason": e.reason} for e in report.errors]
        # The error shape of every refusal, plus each bad row (row number, column label, reason).
        return 400, {
            "code": "import_rejected",
            "message": _("文件有 %(n)s 处错误，未导入任何记录") % {"n": len(rows)},
            "fields": {"file": [f"{r['row']} {r['column']}：{r['reason']}" for r in rows]},
            "rows": rows,
        }
    return {"created": report.created, "unchanged": report.unchanged}


@router.post("/awards/camps", response={201: dict}, summary="Record a training camp with its trainees")
def camp_create(request: HttpRequest, body: CampIn) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer", "organisation_user")
    project = ContestProject.objects.filter(pk=body.project_id).select_related("competition").first()
    if project is None:
        raise DomainError("project_unknown", _("竞赛项目不存在"), {"project_id": _("不存在")})
    if user.role == "organisation_user":
        unit = user.organisation
    else:
        unit = Organisation.objects.filter(uscc=body.unit_uscc.strip().upper()).first()
    if unit is None:
        raise DomainError(
            "unit_unknown", _("集训单位统一社会信用代码不在单位库中"), {"unit_uscc": _("不在单位库中")}
        )
    camp = camps.camp_record(
        actor=user,
        project=project,
        unit=unit,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        selection_level=body.selection_level,
        trainees=[(t.id_number, t.months) for t in body.trainees],
    )
    return 201, _camp_out(camp)
