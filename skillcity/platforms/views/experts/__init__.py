"""Pages of the expert pool (issue 17 §5 and §7). The bureau: the pool with its coverage by sector
(filterable), an expert (phone masked; the full number shown on request, audited; declared conflicts),
the import, the draws with their members and the replay check. An expert: 我的抽取任务 (decline with a
reason). The draw buttons on a contest project's and a leading-talent call's pages post here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.competitions.selectors.contests import project_for_organiser
from skillcity.core.access import acting_user, require_role
from skillcity.core.errors import DomainError
from skillcity.core.exports import xlsx_response
from skillcity.core.uploads import read_upload
from skillcity.platforms.models.experts import ExpertDraw, ExpertDrawMember, ExpertSector
from skillcity.platforms.selectors import experts as selectors
from skillcity.platforms.services import experts as services
from skillcity.platforms.services.experts.draws import members_of
from skillcity.platforms.views.experts.forms import (
    ConflictForm,
    DeclineForm,
    DrawForm,
    ExpertFilterForm,
    PanelDrawForm,
)
from skillcity.registry.models import Organisation
from skillcity.talents.models.leading import LeadingCall

BUREAU = "bureau_officer"
PAGE_SIZE = 50


def _bureau(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, BUREAU)
    return user


@login_required
def expert_list(request: HttpRequest) -> HttpResponse:
    _bureau(request)
    form = ExpertFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    experts = selectors.experts_for_list(sector=filters.get("sector", ""), query=filters.get("q", "").strip())
    page = Paginator(experts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "platforms/experts/list.html",
        {"form": form, "page": page, "coverage": selectors.coverage(), "active": "pool"},
    )


@login_required
def expert_detail(request: HttpRequest, pk: int, conflict_form: ConflictForm | None = None) -> HttpResponse:
    user = _bureau(request)
    expert = selectors.expert_for(user, pk)
    members = expert.draw_members.select_related("draw").order_by("-draw__drawn_at")[:50]
    return render(
        request,
        "platforms/experts/detail.html",
        {
            "expert": expert,
            "full_phone": request.session.pop(f"expert-phone-{expert.pk}", None),
            "members": members,
            "conflict_form": conflict_form or ConflictForm(auto_id="conflict-%s"),
            "active": "pool",
        },
        status=400 if conflict_form is not None else 200,
    )


@login_required
@require_POST
def expert_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The full phone, once, after a deliberate request: the view is audited (PIPL)."""
    user = _bureau(request)
    expert = selectors.expert_for(user, pk)
    request.session[f"expert-phone-{expert.pk}"] = services.expert_phone_view(actor=user, expert=expert)
    return redirect("platforms:expert_detail", expert.pk)


@login_required
@require_POST
def expert_conflict_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _bureau(request)
    expert = selectors.expert_for(user, pk)
    form = ConflictForm(request.POST, auto_id="conflict-%s")
    if form.is_valid():
        try:
            services.expert_conflict_declare(
                actor=user, expert=expert, organisation=form.cleaned_data["uscc"]
            )
            messages.success(request, _("已登记回避单位"))
            return redirect("platforms:expert_detail", expert.pk)
        except DomainError as exc:
            form.show_domain_error(exc, aliases={"organisation": "uscc"})
            form.mark_invalid()
    return expert_detail(request, pk, conflict_form=form)


@login_required
@require_POST
def expert_conflict_withdraw(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    user = _bureau(request)
    expert = selectors.expert_for(user, pk)
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    services.expert_conflict_withdraw(actor=user, expert=expert, organisation=organisation)
    messages.success(request, _("已撤回回避单位"))
    return redirect("platforms:expert_detail", expert.pk)


@login_required
def expert_import(request: HttpRequest) -> HttpResponse:
    user = _bureau(request)
    errors: list[dict[str, Any]] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [{"row": 0, "column": _("文件"), "reason": _("请选择要导入的 .xlsx 文件")}]
        else:
            try:
                content = read_upload(upload, label=_("导入文件"))
                result = services.experts_import(actor=user, filename=upload.name or "", content=content)
            except DomainError as exc:
                errors = [{"row": 0, "column": _("文件"), "reason": str(exc.message)}]
            else:
                if result.ok:
                    messages.success(request, _("已导入 %(n)d 位专家") % {"n": result.created})
                    return redirect("platforms:expert_list")
                errors = [vars(e) for e in result.errors]
    return render(
        request,
        "platforms/experts/import.html",
        {"errors": errors, "columns": list(services.EXPERT_COLUMNS), "active": "import"},
        status=400 if errors else 200,
    )


@login_required
def expert_import_template(request: HttpRequest) -> HttpResponse:
    _bureau(request)
    return xlsx_response(services.experts_template(), "experts-template.xlsx")


@login_required
def draw_list(request: HttpRequest) -> HttpResponse:
    user = _bureau(request)
    form = DrawForm(request.POST or None, auto_id="draw-%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draw = services.expert_draw(
                actor=user,
                purpose=data["purpose"],
                subject_key=data["subject_key"] or data["subject_label"],
                subject_label=data["subject_label"],
                size=data["size"],
                sectors=data["sectors"],
                exclude_organisations=[o.pk for o in data["exclude_organisations"]],
                seed=data["seed"],
            )
            messages.success(request, _("已抽取 %(n)d 位专家") % {"n": draw.size})
            return redirect("platforms:expert_draw_detail", draw.pk)
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
    page = Paginator(selectors.draws_for_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "platforms/experts/draws.html",
        {"form": form, "page": page, "active": "draws"},
        status=400 if form.errors else 200,
    )


@login_required
def draw_detail(request: HttpRequest, pk: int, failed: tuple[int, DeclineForm] | None = None) -> HttpResponse:
    user = _bureau(request)
    draw = selectors.draw_for(user, pk)
    return _draw_page(request, draw, failed)


def _draw_page(
    request: HttpRequest, draw: ExpertDraw, failed: tuple[int, DeclineForm] | None
) -> HttpResponse:
    members = list(selectors.draw_members(draw))
    for member in members:
        member.decline_form = (  # type: ignore[attr-defined]
            failed[1] if failed and failed[0] == member.pk else DeclineForm(auto_id=f"decline-{member.pk}-%s")
        )
    recorded, replayed = members_of(draw), services.draw_replay(draw)
    candidates = sum(len(ids) for ids in draw.candidates.values())
    return render(
        request,
        "platforms/experts/draw_detail.html",
        {
            "draw": draw,
            "members": members,
            "replay_matches": recorded == replayed,
            "replayed": replayed,
            "candidate_count": candidates,
            "candidate_sectors": [
                (label, len(draw.candidates.get(value, []))) for value, label in ExpertSector.choices
            ],
            "excluded_organisations": Organisation.objects.filter(pk__in=draw.excluded_organisations)[:50],
            "active": "draws",
        },
        status=400 if failed else 200,
    )


@login_required
@require_POST
def draw_member_decline(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = _bureau(request)
    draw = selectors.draw_for(user, pk)
    member = get_object_or_404(ExpertDrawMember, pk=member_pk, draw=draw)
    form = DeclineForm(request.POST, auto_id=f"decline-{member.pk}-%s")
    if form.is_valid():
        try:
            replacement = services.draw_member_decline(
                actor=user, member=member, reason=form.cleaned_data["reason"]
            )
            _declined_message(request, replacement)
            return redirect("platforms:expert_draw_detail", draw.pk)
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
    return _draw_page(request, draw, (member.pk, form))


def _declined_message(request: HttpRequest, replacement: ExpertDrawMember | None) -> None:
    if replacement is None:
        messages.warning(request, _("已记录谢绝；回避后已没有可递补的专家"))
    else:
        messages.success(request, _("已记录谢绝，递补专家：%(n)s") % {"n": replacement.expert.worker.name})


@login_required
def my_assignments(request: HttpRequest, failed: tuple[int, DeclineForm] | None = None) -> HttpResponse:
    user = acting_user(request)
    members = list(selectors.assignments_of(user)[:200])
    for member in members:
        member.decline_form = (  # type: ignore[attr-defined]
            failed[1] if failed and failed[0] == member.pk else DeclineForm(auto_id=f"decline-{member.pk}-%s")
        )
    return render(
        request,
        "platforms/experts/my_assignments.html",
        {"members": members, "is_expert": hasattr(user.worker, "expert") if user.worker_id else False},
        status=400 if failed else 200,
    )


@login_required
@require_POST
def my_assignment_decline(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    member = selectors.assignment_of(user, pk)
    form = DeclineForm(request.POST, auto_id=f"decline-{member.pk}-%s")
    if form.is_valid():
        try:
            services.draw_member_decline(actor=user, member=member, reason=form.cleaned_data["reason"])
            messages.success(request, _("已谢绝本次抽取，平台已另行抽取递补专家"))
            return redirect("platforms:my_assignments")
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
    return my_assignments(request, failed=(member.pk, form))


def _panel_draw(request: HttpRequest, draw: Any) -> None:
    """Run a wired draw from a button on another app's page; its refusal becomes the page's message."""
    form = PanelDrawForm(request.POST, auto_id="expert-draw-%s")
    if not form.is_valid():
        for field in form:
            for error in field.errors:
                messages.error(request, f"{field.label}：{error}")
        return
    try:
        made = draw(size=form.cleaned_data["size"], sectors=form.cleaned_data["sectors"])
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return
    names = "、".join(
        m.expert.worker.name for m in made.members.select_related("expert__worker").order_by("position")
    )
    messages.success(request, _("已从专家库抽取：%(n)s（抽取记录第%(id)d号）") % {"n": names, "id": made.pk})


@login_required
@require_POST
def competition_judges_draw(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    project = project_for_organiser(user, pk)
    _panel_draw(request, lambda **kw: services.competition_judges_draw(actor=user, project=project, **kw))
    return redirect("competitions:project_detail", project.pk)


@login_required
@require_POST
def leading_panel_draw(request: HttpRequest, pk: int) -> HttpResponse:
    user = _bureau(request)
    call = get_object_or_404(LeadingCall, pk=pk)
    _panel_draw(request, lambda **kw: services.leading_panel_draw(actor=user, call=call, **kw))
    return redirect("talents:leading_call", pk=call.pk)


@login_required
@require_POST
def standard_panel_draw(request: HttpRequest, pk: int) -> HttpResponse:
    from skillcity.platforms.models.standards import Standard

    user = _bureau(request)
    standard = get_object_or_404(Standard, pk=pk)
    _panel_draw(request, lambda **kw: services.standard_panel_draw(actor=user, standard=standard, **kw))
    return redirect("platforms:standard_detail", pk=standard.pk)


@login_required
@require_POST
def studio_review_draw(request: HttpRequest, pk: int) -> HttpResponse:
    from skillcity.platforms.models.studios import Studio

    user = _bureau(request)
    studio = get_object_or_404(Studio, pk=pk)
    _panel_draw(request, lambda **kw: services.studio_review_draw(actor=user, studio=studio, **kw))
    return redirect("platforms:studio_detail", pk=studio.pk)


urlpatterns: list[URLPattern] = [
    path("experts/", expert_list, name="expert_list"),
    path("experts/import/", expert_import, name="expert_import"),
    path("experts/import/template/", expert_import_template, name="expert_import_template"),
    path("experts/<int:pk>/", expert_detail, name="expert_detail"),
    path("experts/<int:pk>/phone/", expert_phone, name="expert_phone"),
    path("experts/<int:pk>/conflicts/", expert_conflict_add, name="expert_conflict_add"),
    path(
        "experts/<int:pk>/conflicts/<int:organisation_pk>/withdraw/",
        expert_conflict_withdraw,
        name="expert_conflict_withdraw",
    ),
    path("experts/draws/", draw_list, name="expert_draw_list"),
    path("experts/draws/<int:pk>/", draw_detail, name="expert_draw_detail"),
    path(
        "experts/draws/<int:pk>/members/<int:member_pk>/decline/",
        draw_member_decline,
        name="expert_draw_member_decline",
    ),
    path("experts/draw/contest-project/<int:pk>/", competition_judges_draw, name="expert_draw_judges"),
    path("experts/draw/leading-call/<int:pk>/", leading_panel_draw, name="expert_draw_leading_panel"),
    path("experts/draw/standard/<int:pk>/", standard_panel_draw, name="expert_draw_standard_panel"),
    path("experts/draw/studio/<int:pk>/", studio_review_draw, name="expert_draw_studio_review"),
    path("my-assignments/", my_assignments, name="my_assignments"),
    path("my-assignments/<int:pk>/decline/", my_assignment_decline, name="my_assignment_decline"),
]
