"""Reads for competitions, marking and results (docs/competitions.md, "评分与成绩")."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from skillcity.competitions.models import (
    JUDGEMENT_JUDGES,
    SPREAD_FLAG,
    Aspect,
    ContestProject,
    Entry,
    Judge,
    Mark,
    Result,
)
from skillcity.core.access import visible_to
from skillcity.core.errors import NotFound


def standing_marks(
    project: ContestProject, *, submitted_only: bool = False
) -> dict[tuple[int, int, int], Mark]:
    """The standing mark of each (entry, aspect, judge): the newest row of the ledger."""
    rows = Mark.objects.filter(entry__project=project).order_by("id")
    standing: dict[tuple[int, int, int], Mark] = {}
    for mark in rows:
        standing[(mark.entry_id, mark.aspect_id, mark.judge_id)] = mark
    if submitted_only:
        return {k: m for k, m in standing.items() if m.state == Mark.State.SUBMITTED}
    return standing


def aspects_of(project: ContestProject) -> list[Aspect]:
    return list(
        Aspect.objects.filter(section__project=project)
        .select_related("section")
        .order_by("section__order", "section__code", "order", "code")
    )


def results_for(project: ContestProject) -> QuerySet[Result]:
    """A project's results, best first (rank, then the entry's order)."""
    return (
        Result.objects.filter(project=project)
        .select_related("entry", "entry__unit")
        .prefetch_related("entry__players__worker")
        .order_by("rank", "entry_id")
    )


@dataclass
class SpreadFlag:
    """A judgement aspect of an entry whose judges' scores differ by more than SPREAD_FLAG points."""

    entry: Entry
    aspect: Aspect
    scores: list[tuple[Judge, Decimal]] = field(default_factory=list)

    @property
    def spread(self) -> Decimal:
        values = [s for _j, s in self.scores]
        return max(values) - min(values)


def spread_flags(project: ContestProject) -> list[SpreadFlag]:
    """Each (entry, judgement aspect) whose submitted standing scores differ by more than one point
    (a draft may still change; a correction replaces the score it corrects)."""
    aspects = {a.pk: a for a in aspects_of(project) if a.kind == Aspect.Kind.JUDGEMENT}
    if not aspects:
        return []
    grouped: dict[tuple[int, int], list[Mark]] = {}
    for (entry_id, aspect_id, _j), mark in standing_marks(project, submitted_only=True).items():
        if aspect_id in aspects:
            grouped.setdefault((entry_id, aspect_id), []).append(mark)
    entries = Entry.objects.in_bulk([key[0] for key in grouped])
    judges = Judge.objects.select_related("worker").in_bulk(
        [m.judge_id for ms in grouped.values() for m in ms]
    )
    flags = []
    for (entry_id, aspect_id), marks in sorted(grouped.items()):
        values = [m.score for m in marks]
        if len(values) >= 2 and max(values) - min(values) > SPREAD_FLAG:
            flags.append(
                SpreadFlag(
                    entry=entries[entry_id],
                    aspect=aspects[aspect_id],
                    scores=[(judges[m.judge_id], m.score) for m in sorted(marks, key=lambda m: m.judge_id)],
                )
            )
    return flags


def marking_gaps(project: ContestProject) -> list[str]:
    """What is missing before results can be confirmed (Chinese lines; empty when complete): each
    entry needs one submitted mark per measurement aspect and JUDGEMENT_JUDGES per judgement aspect,
    and no draft may stand."""
    aspects = aspects_of(project)
    if not aspects:
        return [_("该项目还没有评分方案")]
    standing = standing_marks(project)
    gaps: list[str] = []
    if any(m.state == Mark.State.DRAFT for m in standing.values()):
        gaps.append(_("仍有裁判暂存未提交的评分"))
    submitted: dict[tuple[int, int], int] = {}
    for (entry_id, aspect_id, _j), mark in standing.items():
        if mark.state == Mark.State.SUBMITTED:
            submitted[(entry_id, aspect_id)] = submitted.get((entry_id, aspect_id), 0) + 1
    for entry in Entry.objects.filter(project=project).order_by("id"):
        for aspect in aspects:
            need = JUDGEMENT_JUDGES if aspect.kind == Aspect.Kind.JUDGEMENT else 1
            have = submitted.get((entry.pk, aspect.pk), 0)
            if have < need:
                gaps.append(
                    _("参赛编号%(b)s的评分项“%(a)s”已提交%(h)d份，需%(n)d份")
                    % {"b": entry.bib or entry.pk, "a": aspect.code, "h": have, "n": need}
                )
    return gaps


def judge_for(user: Any, project: ContestProject) -> Judge | None:
    """The user's own judge row on a project (a worker user who judges it), else None."""
    worker_id = getattr(user, "worker_id", None)
    if not worker_id:
        return None
    return Judge.objects.filter(project=project, worker_id=worker_id).first()


def judging_of(user: Any) -> QuerySet[Judge]:
    """The projects a worker user judges (for "我的评分")."""
    worker_id = getattr(user, "worker_id", None)
    if not worker_id:
        return Judge.objects.none()
    return (
        Judge.objects.filter(worker_id=worker_id)
        .select_related("project", "project__competition")
        .order_by("-project__starts_on", "-id")
    )


def competitions_visible(user: Any) -> Any:
    from skillcity.competitions.models import Competition

    return visible_to(user, Competition.objects.select_related("organiser", "town", "feeds"))


def competition_for_organiser(user: Any, pk: Any) -> Any:
    """A competition the user organises (can_organise), else NotFound (its existence does not leak)."""
    from skillcity.competitions.models import Competition
    from skillcity.competitions.services.contests import can_organise

    competition = Competition.objects.select_related("organiser", "town", "feeds").filter(pk=pk).first()
    if competition is None or not can_organise(user, competition):
        raise NotFound(_("记录不存在或您无权查看"))
    return competition


def project_for_organiser(user: Any, pk: Any) -> ContestProject:
    from skillcity.competitions.services.contests import can_organise

    project = (
        ContestProject.objects.select_related("competition", "occupation", "host_unit").filter(pk=pk).first()
    )
    if project is None or not can_organise(user, project.competition):
        raise NotFound(_("记录不存在或您无权查看"))
    return project


def projects_open_for_registration() -> QuerySet[ContestProject]:
    """Projects units may register for: published, not imported (external), not yet marked."""
    return (
        ContestProject.objects.filter(
            competition__state="published", competition__external=False, state=ContestProject.State.SETUP
        )
        .select_related("competition", "occupation")
        .order_by("starts_on", "id")
    )


def open_project(pk: Any) -> ContestProject:
    project = projects_open_for_registration().filter(pk=pk).first()
    if project is None:
        raise NotFound(_("该项目不存在或已停止报名"))
    return project


def judge_of(user: Any, pk: Any) -> Judge:
    """The user's own judge row `pk` (a worker who judges), else NotFound."""
    worker_id = getattr(user, "worker_id", None)
    judge = (
        Judge.objects.select_related("project", "project__competition", "worker").filter(pk=pk).first()
        if worker_id
        else None
    )
    if judge is None or judge.worker_id != worker_id:
        raise NotFound(_("记录不存在或您无权查看"))
    return judge


def entries_of_unit(user: Any) -> QuerySet[Entry]:
    """The entries a unit registered (all entries for the bureau)."""
    return visible_to(
        user, Entry.objects.select_related("project", "project__competition", "unit", "coach")
    ).order_by("-registered_at", "-id")


def sheet_rows(judge: Judge, entry: Entry) -> list[dict[str, Any]]:
    """The marking sheet of one entry for one judge: each aspect with the judge's standing mark."""
    standing: dict[int, Mark] = {}
    for row in Mark.objects.filter(entry=entry, judge=judge).order_by("id"):
        standing[row.aspect_id] = row
    others: dict[int, int] = {}
    for (entry_id, aspect_id, judge_id), _mark in standing_marks(judge.project).items():
        if entry_id == entry.pk and judge_id != judge.pk:
            others[aspect_id] = others.get(aspect_id, 0) + 1
    rows = []
    for aspect in aspects_of(judge.project):
        mark = standing.get(aspect.pk)
        taken = aspect.kind == Aspect.Kind.MEASUREMENT and others.get(aspect.pk, 0) > 0
        full = aspect.kind == Aspect.Kind.JUDGEMENT and others.get(aspect.pk, 0) >= JUDGEMENT_JUDGES
        rows.append(
            {
                "aspect": aspect,
                "mark": mark,
                "locked": mark is not None and mark.state == Mark.State.SUBMITTED,
                "taken": (taken or full) and mark is None,
            }
        )
    return rows
