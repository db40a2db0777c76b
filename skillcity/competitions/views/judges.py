"""Judges' pages (phone-friendly): 我的评分, a project's entries by bib, the marking sheet of an entry
(save draft / submit; submitted marks locked; a correction with its reason), and for the chief judge
the spread flags and the confirmation of the results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.competitions.models import ContestProject, Entry, Judge, Mark
from skillcity.competitions.selectors.contests import (
    judge_of,
    judging_of,
    marking_gaps,
    results_for,
    sheet_rows,
    spread_flags,
    standing_marks,
)
from skillcity.competitions.services import marking, results
from skillcity.competitions.views.marking_forms import CorrectionForm, MarkingSheetForm
from skillcity.core.access import acting_user
from skillcity.core.errors import DomainError, NotFound


@login_required
def my_marking(request: HttpRequest) -> HttpResponse:
    """我的评分: the projects the worker judges."""
    judges = list(judging_of(acting_user(request)))
    return render(request, "competitions/marking/my_marking.html", {"judges": judges})


def _judge(request: HttpRequest, pk: int) -> tuple[Any, Judge]:
    user = acting_user(request)
    return user, judge_of(user, pk)


@login_required
def judge_project(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's entries, each with how far this judge's marking has got; for the chief judge the
    spread flags, the results so far and the confirmation."""
    _user, judge = _judge(request, pk)
    project = judge.project
    standing = standing_marks(project)
    entries = []
    for entry in Entry.objects.filter(project=project).order_by("id"):
        mine = [m for (e, _a, j), m in standing.items() if e == entry.pk and j == judge.pk]
        submitted = sum(1 for m in mine if m.state == Mark.State.SUBMITTED)
        entries.append(
            {"entry": entry, "marked": len(mine), "submitted": submitted, "drafts": len(mine) - submitted}
        )
    context: dict[str, Any] = {"judge": judge, "project": project, "entries": entries}
    if judge.is_chief:
        context.update(
            {
                "flags": spread_flags(project),
                "results": list(results_for(project)),
                "gaps": marking_gaps(project) if project.state != ContestProject.State.CONFIRMED else [],
            }
        )
    return render(request, "competitions/marking/judge_project.html", context)


def _entry(judge: Judge, entry_pk: int) -> Entry:
    entry = Entry.objects.filter(pk=entry_pk, project_id=judge.project_id).first()
    if entry is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return entry


@login_required
def marking_sheet(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    user, judge = _judge(request, pk)
    entry = _entry(judge, entry_pk)
    sheet = sheet_rows(judge, entry)
    form = MarkingSheetForm(request.POST or None, sheet=sheet, auto_id="mark-%s")
    if request.method == "POST":
        submit = "submit" in request.POST
        if form.is_valid():
            try:
                marking.marks_save(judge=judge, entry=entry, actor=user, scores=form.scores(), submit=submit)
                messages.success(request, _("评分已提交并锁定") if submit else _("评分已暂存"))
                return redirect("competitions:marking_sheet", pk, entry.pk)
            except DomainError as exc:
                form.show_domain_error(exc)
        form.mark_invalid()
    return _sheet_page(request, judge, entry, sheet, form)


def _sheet_page(
    request: HttpRequest,
    judge: Judge,
    entry: Entry,
    sheet: list[dict[str, Any]],
    form: MarkingSheetForm,
    correction: tuple[int, CorrectionForm] | None = None,
) -> HttpResponse:
    for row in sheet:
        row["bound"] = form[row["field"]] if row.get("field") in form.fields else None
        mark = row["mark"]
        if row["locked"] and mark is not None:
            row["correction"] = (
                correction[1]
                if correction is not None and correction[0] == mark.pk
                else CorrectionForm(auto_id=f"correct-{mark.pk}-%s")
            )
    entries = list(
        Entry.objects.filter(project_id=judge.project_id).order_by("id").values_list("pk", flat=True)
    )
    position = entries.index(entry.pk)
    failed = bool(form.errors) or bool(correction and correction[1].errors)
    return render(
        request,
        "competitions/marking/marking_sheet.html",
        {
            "judge": judge,
            "project": judge.project,
            "entry": entry,
            "sheet": sheet,
            "form": form,
            "can_edit": judge.project.state != ContestProject.State.CONFIRMED and bool(form.fields),
            "confirmed": judge.project.state == ContestProject.State.CONFIRMED,
            "previous": entries[position - 1] if position > 0 else None,
            "next": entries[position + 1] if position + 1 < len(entries) else None,
        },
        status=400 if failed else 200,
    )


@login_required
@require_POST
def mark_correct(request: HttpRequest, pk: int, mark_pk: int) -> HttpResponse:
    user, judge = _judge(request, pk)
    mark = Mark.objects.filter(pk=mark_pk, entry__project_id=judge.project_id).select_related("entry").first()
    if mark is None:
        raise NotFound(_("记录不存在或您无权查看"))
    form = CorrectionForm(request.POST, auto_id=f"correct-{mark.pk}-%s")
    if form.is_valid():
        try:
            marking.mark_correct(
                mark=mark, actor=user, score=form.cleaned_data["score"], reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("已更正评分（原评分保留在记录中）"))
            return redirect("competitions:marking_sheet", pk, mark.entry_id)
        except DomainError as exc:
            form.show_domain_error(exc)
    form.mark_invalid()
    sheet = sheet_rows(judge, mark.entry)
    return _sheet_page(
        request, judge, mark.entry, sheet, MarkingSheetForm(sheet=sheet, auto_id="mark-%s"), (mark.pk, form)
    )


@login_required
@require_POST
def results_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user, judge = _judge(request, pk)
    try:
        results.results_confirm(project=judge.project, actor=user)
        messages.success(request, _("成绩已确认并公布"))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("competitions:judge_project", pk)


@login_required
@require_POST
def results_compute(request: HttpRequest, pk: int) -> HttpResponse:
    user, judge = _judge(request, pk)
    if not judge.is_chief:
        raise NotFound(_("记录不存在或您无权查看"))
    results.results_compute(project=judge.project, actor=user)
    messages.success(request, _("已按已提交的评分计算成绩（确认后公布）"))
    return redirect("competitions:judge_project", pk)


urlpatterns = [
    path("judging/", my_marking, name="my_marking"),
    path("judging/<int:pk>/", judge_project, name="judge_project"),
    path("judging/<int:pk>/entries/<int:entry_pk>/", marking_sheet, name="marking_sheet"),
    path("judging/<int:pk>/marks/<int:mark_pk>/correct/", mark_correct, name="mark_correct"),
    path("judging/<int:pk>/results/compute/", results_compute, name="judge_results_compute"),
    path("judging/<int:pk>/results/confirm/", results_confirm, name="results_confirm"),
]
