"""Organisers' pages (bureau, town officers for their town contests, an organiser organisation for its
own competitions): competitions with their award scheme, projects, the marking scheme (rows or .xlsx),
judges (conflicts refused next to the field), entries and results."""

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
    aspects_of,
    competition_for_organiser,
    competitions_visible,
    project_for_organiser,
    results_for,
    spread_flags,
)
from skillcity.competitions.services import contests, results, scheme_xlsx
from skillcity.competitions.views.marking_forms import CompetitionForm, JudgeForm, ProjectForm, SchemeRowsForm
from skillcity.core.access import acting_user, require_role
from skillcity.core.errors import DomainError
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Occupation, Organisation, Worker

ORGANISER_ROLES = ("bureau_officer", "town_officer", "organisation_user")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, *ORGANISER_ROLES)
    return user


@login_required
def competition_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    competitions = competitions_visible(user).order_by("-year", "-starts_on", "-id")[:200]
    return render(
        request,
        "competitions/marking/competition_list.html",
        {"competitions": competitions, "may_create": True},
    )


def _organisation_by_uscc(form: Any, field: str, value: str) -> Organisation | None:
    if not value:
        return None
    organisation = Organisation.objects.filter(uscc=value.strip().upper()).first()
    if organisation is None:
        form.add_error(field, _("没有该统一社会信用代码的单位登记"))
    return organisation


@login_required
def competition_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    role = "bureau_officer" if user.is_superuser else str(user.role)
    organiser_fixed = user.organisation if role == "organisation_user" else None
    town_fixed = user.town if role == "town_officer" else None
    form = CompetitionForm(
        request.POST or None, organiser_fixed=organiser_fixed, town_fixed=town_fixed, auto_id="competition-%s"
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organiser = organiser_fixed or _organisation_by_uscc(
            form, "organiser_uscc", data.get("organiser_uscc", "")
        )
        if not form.errors:
            try:
                competition = contests.competition_create(
                    actor=user,
                    name=data["name"],
                    level=data["level"],
                    year=data["year"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    organiser=organiser,
                    organiser_name=data.get("organiser_name", "") or "",
                    town=data["town"],
                    feeds=data["feeds"],
                    external=data["external"],
                    gold_places=data["gold_places"],
                    silver_places=data["silver_places"],
                    bronze_places=data["bronze_places"],
                    excellence_places=data["excellence_places"],
                    pass_mark=data["pass_mark"],
                    title_quota=data["title_quota"],
                    promotion_rule=form.promotion_rule(),
                )
                messages.success(request, _("已创建竞赛“%(n)s”") % {"n": competition.name})
                return redirect("competitions:competition_detail", competition.pk)
            except DomainError as exc:
                form.show_domain_error(
                    exc, aliases={"organiser": "organiser_uscc", "promotion_rule": "band_1_from"}
                )
        form.mark_invalid()
    return render(
        request,
        "competitions/marking/competition_form.html",
        {"form": form, "organiser_fixed": organiser_fixed},
        status=400 if form.errors else 200,
    )


@login_required
def competition_detail(
    request: HttpRequest, pk: int, project_form: ProjectForm | None = None
) -> HttpResponse:
    user = _user(request)
    competition = competition_for_organiser(user, pk)
    projects = competition.projects.select_related("occupation", "host_unit").order_by("starts_on", "id")
    return render(
        request,
        "competitions/marking/competition_detail.html",
        {
            "competition": competition,
            "projects": projects,
            "project_form": project_form
            or ProjectForm(
                auto_id="project-%s",
                initial={"starts_on": competition.starts_on, "ends_on": competition.starts_on},
            ),
            "bands": (competition.promotion_rule or {}).get("bands", []),
            "pass_level": (competition.promotion_rule or {}).get("pass_level"),
        },
        status=400 if project_form is not None and project_form.errors else 200,
    )


@login_required
@require_POST
def competition_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    competition = competition_for_organiser(user, pk)
    contests.competition_publish(competition=competition, actor=user)
    messages.success(request, _("竞赛已发布，各单位可以报名"))
    return redirect("competitions:competition_detail", pk)


@login_required
@require_POST
def project_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    competition = competition_for_organiser(user, pk)
    form = ProjectForm(request.POST, auto_id="project-%s")
    if form.is_valid():
        data = form.cleaned_data
        occupation = Occupation.objects.filter(code=data["occupation"].strip()).first()
        if occupation is None:
            form.add_error("occupation", _("没有该编码的职业"))
        host = _organisation_by_uscc(form, "host_uscc", data["host_uscc"])
        if not form.errors:
            try:
                project = contests.project_create(
                    competition=competition,
                    actor=user,
                    name=data["name"],
                    occupation=occupation,  # type: ignore[arg-type]
                    level=data["level"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    direction=data["direction"],
                    host_unit=host,
                    venue=data["venue"],
                    team_size=data["team_size"],
                )
                messages.success(request, _("已添加竞赛项目“%(n)s”") % {"n": project.name})
                return redirect("competitions:project_detail", project.pk)
            except DomainError as exc:
                form.show_domain_error(exc, aliases={"host_unit": "host_uscc"})
    form.mark_invalid()
    return competition_detail(request, pk, project_form=form)


# --- a project: scheme, judges, entries, results --------------------------------------------------


@login_required
def project_detail(request: HttpRequest, pk: int, judge_form: JudgeForm | None = None) -> HttpResponse:
    user = _user(request)
    project = project_for_organiser(user, pk)
    return _project_page(request, project, judge_form=judge_form)


def _expert_draw_form() -> Any:
    # The expert pool's draw (issue 17 §5) posts to the platforms app; imported here, not at the top,
    # because the platforms' wiring imports the competitions' services.
    from skillcity.platforms.views.experts.forms import PanelDrawForm

    return PanelDrawForm(auto_id="expert-draw-%s")


def _project_page(request: HttpRequest, project: ContestProject, **forms: Any) -> HttpResponse:
    entries = (
        Entry.objects.filter(project=project)
        .select_related("unit", "coach")
        .prefetch_related("players__worker")
    )
    failed = any(f is not None and f.errors for f in forms.values())
    return render(
        request,
        "competitions/marking/project_detail.html",
        {
            "project": project,
            "competition": project.competition,
            "aspects": aspects_of(project),
            "judges": Judge.objects.filter(project=project).select_related("worker", "unit"),
            "entries": entries,
            "results": list(results_for(project)),
            "flags": spread_flags(project),
            "judge_form": forms.get("judge_form") or JudgeForm(auto_id="judge-%s"),
            "expert_draw_form": _expert_draw_form(),
            "import_errors": request.session.pop(f"scheme-import-{project.pk}", None),
            "open": project.state != ContestProject.State.CONFIRMED,
            "scheme_open": project.state != ContestProject.State.CONFIRMED
            and not Mark.objects.filter(entry__project=project).exists(),
        },
        status=400 if failed else 200,
    )


@login_required
@require_POST
def judge_assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    project = project_for_organiser(user, pk)
    form = JudgeForm(request.POST, auto_id="judge-%s")
    if form.is_valid():
        worker = (
            Worker.objects.select_related("employer")
            .filter(id_number=form.cleaned_data["id_number"].strip().upper())
            .first()
        )
        if worker is None:
            form.add_error("id_number", _("没有该身份证号码的劳动者登记"))
        else:
            try:
                judge = contests.judge_assign(
                    project=project, actor=user, worker=worker, is_chief=form.cleaned_data["is_chief"]
                )
                messages.success(request, _("已指派裁判 %(n)s") % {"n": judge.worker.name})
                return redirect("competitions:project_detail", pk)
            except DomainError as exc:
                form.show_domain_error(exc, aliases={"worker": "id_number"})
    form.mark_invalid()
    return _project_page(request, project, judge_form=form)


@login_required
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The scheme as rows of the layout; rows sent with errors come back with each error beside its cell."""
    user = _user(request)
    project = project_for_organiser(user, pk)
    existing = scheme_xlsx.rows_of(project)
    try:
        wanted = int(request.POST.get("rows") or request.GET.get("rows") or 0)
    except ValueError:
        wanted = 0
    count = min(scheme_xlsx.ROWS_MAX, max(wanted, len(existing) + 5, 10))
    if request.method == "POST":
        form = SchemeRowsForm(request.POST, rows=count, auto_id="scheme-%s")
        if form.is_valid():
            sections, errors = scheme_xlsx.sections_from_rows(form.rows())
            for error in errors:
                key = next((k for label, k in scheme_xlsx.COLUMNS.items() if label == error.column), None)
                target = f"r{error.row}_{key}" if key else None
                if target in form.fields:
                    form.add_error(target, f"{error.column}：{error.reason}")
                else:
                    form.add_error(None, _("第%(r)d行：%(m)s") % {"r": error.row, "m": error.reason})
            if not errors:
                try:
                    contests.scheme_set(project=project, actor=user, sections=sections)
                    messages.success(request, _("评分方案已保存"))
                    return redirect("competitions:project_detail", pk)
                except DomainError as exc:
                    form.add_error(None, str(exc.message))
        form.mark_invalid()
    else:
        initial = {
            f"r{n}_{key}": row[key]
            for n, row in enumerate(existing, start=1)
            for key in scheme_xlsx.COLUMNS.values()
        }
        form = SchemeRowsForm(initial=initial, rows=count, auto_id="scheme-%s")
    return render(
        request,
        "competitions/marking/scheme_form.html",
        {
            "project": project,
            "form": form,
            "columns": list(scheme_xlsx.COLUMNS),
            "more": count + 10,
            "locked": Mark.objects.filter(entry__project=project).exists()
            or project.state == ContestProject.State.CONFIRMED,
        },
        status=400 if form.errors else 200,
    )


@login_required
def scheme_template(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_for_organiser(_user(request), pk)
    response = HttpResponse(scheme_xlsx.template_workbook(project), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}-scheme.xlsx"'
    return response


@login_required
@require_POST
def scheme_import(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    project = project_for_organiser(user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的 .xlsx 文件"))
        return redirect("competitions:project_detail", pk)
    try:
        result = scheme_xlsx.scheme_import(
            project=project,
            actor=user,
            filename=upload.name or "",
            content=read_upload(upload, label=_("评分方案文件")),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("competitions:project_detail", pk)
    if result.ok:
        messages.success(request, _("已导入 %(n)d 个评分项") % {"n": result.created})
    else:
        messages.error(request, _("导入失败，评分方案未改变；请修正以下各行后重新导入"))
        request.session[f"scheme-import-{pk}"] = [vars(e) for e in result.errors]
    return redirect("competitions:project_detail", pk)


@login_required
@require_POST
def results_compute(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    project = project_for_organiser(user, pk)
    results.results_compute(project=project, actor=user)
    messages.success(request, _("已按已提交的评分计算成绩（裁判长确认后公布）"))
    return redirect("competitions:project_detail", pk)


urlpatterns = [
    path("manage/", competition_list, name="competition_list"),
    path("manage/new/", competition_create, name="competition_create"),
    path("manage/<int:pk>/", competition_detail, name="competition_detail"),
    path("manage/<int:pk>/publish/", competition_publish, name="competition_publish"),
    path("manage/<int:pk>/projects/", project_create, name="project_create"),
    path("manage/projects/<int:pk>/", project_detail, name="project_detail"),
    path("manage/projects/<int:pk>/judges/", judge_assign, name="judge_assign"),
    path("manage/projects/<int:pk>/scheme/", scheme_edit, name="scheme_edit"),
    path("manage/projects/<int:pk>/scheme.xlsx", scheme_template, name="scheme_template"),
    path("manage/projects/<int:pk>/scheme/import/", scheme_import, name="scheme_import"),
    path("manage/projects/<int:pk>/results/compute/", results_compute, name="results_compute"),
]
