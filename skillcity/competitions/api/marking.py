"""/api/v1/competitions/: judges' marks (save, submit, correct), spread flags and results (compute,
confirm). A judge acts only as themself on their own project; the chief judge confirms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from skillcity.competitions.models import ContestProject, Entry, Judge, Mark
from skillcity.competitions.selectors.contests import (
    judge_for,
    judge_of,
    judging_of,
    results_for,
    sheet_rows,
    spread_flags,
)
from skillcity.competitions.services import marking, results
from skillcity.competitions.services.contests import can_organise
from skillcity.core.access import acting_user
from skillcity.core.bounds import Id
from skillcity.core.errors import NotFound, PermissionDenied
from skillcity.core.schemas import InputSchema

router = Router(tags=["competitions"])


class JudgingOut(Schema):
    id: int
    project_id: int
    project: str = Field(alias="project.name")
    competition: str = Field(alias="project.competition.name")
    project_state: str = Field(alias="project.state")
    is_chief: bool


@router.get("/judging", response=list[JudgingOut], summary="我的评分: the projects the caller judges")
def my_judging(request: HttpRequest) -> Any:
    return judging_of(acting_user(request))


class SheetMarkOut(Schema):
    aspect_id: int
    section: str
    code: str
    description: str
    kind: str
    max_mark: Decimal
    mark_id: int | None
    score: Decimal | None
    state: str | None
    locked: bool
    taken: bool


class SheetEntryOut(Schema):
    entry_id: int
    bib: str
    marks: list[SheetMarkOut]


def _sheet(judge: Judge, entry: Entry) -> dict[str, Any]:
    rows = []
    for row in sheet_rows(judge, entry):
        aspect, mark = row["aspect"], row["mark"]
        rows.append(
            {
                "aspect_id": aspect.pk,
                "section": aspect.section.code,
                "code": aspect.code,
                "description": aspect.description,
                "kind": aspect.kind,
                "max_mark": aspect.max_mark,
                "mark_id": mark.pk if mark else None,
                "score": mark.score if mark else None,
                "state": mark.state if mark else None,
                "locked": row["locked"],
                "taken": row["taken"],
            }
        )
    return {"entry_id": entry.pk, "bib": entry.bib, "marks": rows}


def _entry(judge: Judge, pk: int) -> Entry:
    entry = Entry.objects.filter(pk=pk, project_id=judge.project_id).first()
    if entry is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return entry


@router.get("/judging/{pk}/entries", response=list[SheetEntryOut], summary="The marking sheets of a judge")
def judge_entries(request: HttpRequest, pk: Id) -> Any:
    judge = judge_of(acting_user(request), pk)
    return [_sheet(judge, e) for e in Entry.objects.filter(project_id=judge.project_id).order_by("id")]


class MarksIn(InputSchema):
    scores: dict[int, str] = Field(description="aspect id → score (measurement 0..max, judgement 0–3)")
    submit: bool = False


@router.post("/judging/{pk}/entries/{entry_id}/marks", response=SheetEntryOut, summary="Save or submit marks")
def save_marks(request: HttpRequest, pk: Id, entry_id: Id, payload: MarksIn) -> Any:
    user = acting_user(request)
    judge = judge_of(user, pk)
    entry = _entry(judge, entry_id)
    marking.marks_save(
        judge=judge, entry=entry, actor=user, scores=dict(payload.scores), submit=payload.submit
    )
    return _sheet(judge, entry)


class CorrectIn(InputSchema):
    score: str = Field(max_length=20)
    reason: str = Field(max_length=500)


class MarkOut(Schema):
    id: int
    entry_id: int
    aspect_id: int
    judge_id: int
    score: Decimal
    state: str
    corrects_id: int | None
    reason: str


@router.post("/marks/{pk}/correct", response={201: MarkOut}, summary="Correct a submitted mark (new row)")
def correct_mark(request: HttpRequest, pk: Id, payload: CorrectIn) -> Any:
    user = acting_user(request)
    mark = Mark.objects.filter(
        pk=pk, judge__project__judges__worker_id=getattr(user, "worker_id", None) or 0
    ).first()
    if mark is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return 201, marking.mark_correct(mark=mark, actor=user, score=payload.score, reason=payload.reason)


# --- results -------------------------------------------------------------------------------------


def _project_for_results(user: Any, pk: int) -> tuple[ContestProject, Judge | None]:
    """The project for its organiser or one of its judges."""
    project = ContestProject.objects.select_related("competition").filter(pk=pk).first()
    if project is None:
        raise NotFound(_("记录不存在或您无权查看"))
    judge = judge_for(user, project)
    if judge is None and not can_organise(user, project.competition):
        raise NotFound(_("记录不存在或您无权查看"))
    return project, judge


class FlagScoreOut(Schema):
    judge_id: int
    judge: str
    score: Decimal


class FlagOut(Schema):
    entry_id: int
    bib: str
    aspect_id: int
    aspect: str
    spread: Decimal
    scores: list[FlagScoreOut]


@router.get("/projects/{pk}/spread-flags", response=list[FlagOut], summary="Judgement spreads over one point")
def list_spread_flags(request: HttpRequest, pk: Id) -> Any:
    project, _judge = _project_for_results(acting_user(request), pk)
    return [
        {
            "entry_id": f.entry.pk,
            "bib": f.entry.bib,
            "aspect_id": f.aspect.pk,
            "aspect": f"{f.aspect.code} {f.aspect.description}",
            "spread": f.spread,
            "scores": [{"judge_id": j.pk, "judge": j.worker.name, "score": s} for j, s in f.scores],
        }
        for f in spread_flags(project)
    ]


class ResultOut(Schema):
    entry_id: int
    bib: str = Field(alias="entry.bib")
    unit: str = Field(alias="entry.unit.name")
    total: Decimal | None
    rank: int | None
    award: str
    award_name: str
    passed: bool

    @staticmethod
    def resolve_award_name(obj: Any) -> str:
        return str(obj.get_award_display())


class ResultsOut(Schema):
    project_id: int
    state: str
    confirmed: bool
    results: list[ResultOut]


def _results(project: ContestProject) -> dict[str, Any]:
    project.refresh_from_db(fields=["state"])
    return {
        "project_id": project.pk,
        "state": project.state,
        "confirmed": project.state == ContestProject.State.CONFIRMED,
        "results": list(results_for(project)),
    }


@router.get("/projects/{pk}/results", response=ResultsOut, summary="A project's results (organiser, judges)")
def get_results(request: HttpRequest, pk: Id) -> Any:
    project, _judge = _project_for_results(acting_user(request), pk)
    return _results(project)


@router.post("/projects/{pk}/results/compute", response=ResultsOut, summary="Compute results from the marks")
def compute_results(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    project, judge = _project_for_results(user, pk)
    if not (can_organise(user, project.competition) or (judge is not None and judge.is_chief)):
        raise PermissionDenied(_("只有主办单位或裁判长可以计算成绩"))
    results.results_compute(project=project, actor=user)
    return _results(project)


@router.post("/projects/{pk}/results/confirm", response=ResultsOut, summary="The chief judge confirms")
def confirm_results(request: HttpRequest, pk: Id) -> Any:
    user = acting_user(request)
    project, _judge = _project_for_results(user, pk)
    results.results_confirm(project=project, actor=user)
    return _results(project)
