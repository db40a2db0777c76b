"""The bureau's leading-talent pages: T-LEADING progress and the calls, one call's review (formal check,
panel, assignment, shortlist, recognition), the rent schedules, and exceptional promotion (whose worker's
own page is here too)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.certification.models import Session
from skillcity.core.access import acting_user, require_role
from skillcity.core.bounds import by_id
from skillcity.core.errors import DomainError
from skillcity.registry.models import Worker
from skillcity.talents.models.leading import (
    Assignment,
    ExceptionalApplication,
    ExceptionalState,
    LeadingApplication,
    LeadingCall,
    LeadingState,
    PanelMember,
    RentSchedule,
    RentState,
)
from skillcity.talents.selectors import leading as selectors
from skillcity.talents.services import assignments, exceptional, rent
from skillcity.talents.services import leading as services
from skillcity.talents.views.leading_forms import CallForm, EndForm, ExceptionalForm


def _bureau(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    return user


def _run(request: HttpRequest, action: Any, success: str) -> None:
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Leading talents: the bureau's overview; other roles go to their own page."""
    user = acting_user(request)
    role = "bureau_officer" if user.is_superuser else user.role
    if role == "worker":
        return redirect("talents:leading_mine")
    if role == "organisation_user":
        return redirect("talents:leading_unit")
    require_role(user, "bureau_officer")
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(actor=user, **form.cleaned_data)
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
        else:
            messages.success(request, _("申报通知已发布"))
            return redirect("talents:leading_call", pk=call.pk)
    return render(
        request,
        "talents/leading/home.html",
        {"progress": selectors.progress(), "calls": selectors.calls(), "form": form},
    )


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _bureau(request)
    call = get_object_or_404(LeadingCall, pk=pk)
    state = request.GET.get("state", "")
    if state not in LeadingState.values:
        state = ""
    rows = []
    for app in selectors.call_applications(call, state):
        rows.append({"app": app, "average": services.average_score(app)})
    counts = dict.fromkeys(LeadingState.values, 0)
    for s in call.applications.values_list("state", flat=True):
        counts[s] += 1
    return render(
        request,
        "talents/leading/call.html",
        {
            "call": call,
            "rows": rows,
            "state": state,
            "states": [(v, label, counts[v]) for v, label in LeadingState.choices],
            "members": list(call.panel.select_related("worker__employer")),
            "user": user,
            "expert_draw_form": _expert_draw_form(),
        },
    )


def _expert_draw_form() -> Any:
    # The expert pool's draw (issue 17 §5) posts to the platforms app; imported here, not at the top,
    # because the platforms' wiring imports the talents' services.
    from skillcity.platforms.views.experts.forms import PanelDrawForm

    return PanelDrawForm(auto_id="expert-draw-%s")


@login_required
@require_POST
def panel_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = _bureau(request)
    call = get_object_or_404(LeadingCall, pk=pk)
    number = (request.POST.get("id_number") or "").strip().upper()
    worker = Worker.objects.filter(id_number=number).first() if number else None
    if worker is None:
        messages.error(request, _("评审专家：没有找到该身份证号码的劳动者"))
    else:
        _run(
            request,
            lambda: services.panel_member_add(actor=user, call=call, worker=worker),
            _("已加入评审专家"),
        )
    return redirect("talents:leading_call", pk=call.pk)


@login_required
@require_POST
def application_action(request: HttpRequest, pk: int) -> HttpResponse:
    """One action of the review on one application, back to where it came from."""
    user = _bureau(request)
    app = get_object_or_404(LeadingApplication, pk=pk)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")
    if action == "formal_pass":
        _run(
            request,
            lambda: services.formal_check(actor=user, application=app, passed=True, note=note),
            _("形式审查通过"),
        )
    elif action == "formal_fail":
        _run(
            request,
            lambda: services.formal_check(actor=user, application=app, passed=False, note=note),
            _("已记录形式审查未通过"),
        )
    elif action == "assign":
        member = by_id(PanelMember, request.POST.get("member"))
        if member is None or member.call_id != app.call_id:
            messages.error(request, _("评审专家：请选择"))
        else:
            _run(
                request,
                lambda: services.assign(actor=user, application=app, member=member),
                _("已分配评审专家"),
            )
    elif action == "unassign":
        assignment = by_id(Assignment, request.POST.get("assignment"))
        if assignment is None or assignment.application_id != app.pk:
            messages.error(request, _("评审专家：请选择"))
        else:
            _run(
                request,
                lambda: assignments.assignment_remove(actor=user, assignment=assignment, reason=note),
                _("已取消分配"),
            )
    elif action == "shortlist":
        try:
            amount = services.parse_money(
                request.POST.get("living_amount", ""), "living_amount", _("生活补贴")
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            _run(
                request,
                lambda: services.shortlist(actor=user, application=app, living_amount=amount, reason=note),
                _("已入围，生活补贴进入公示"),
            )
    elif action == "not_shortlisted":
        _run(
            request,
            lambda: services.not_shortlisted(actor=user, application=app, reason=note),
            _("已记录未入围"),
        )
    elif action == "recognise":
        _run(request, lambda: services.recognise(actor=user, application=app), _("已认定为技能领军人才"))
    else:
        messages.error(request, _("未知操作"))
    back = request.POST.get("back", "")
    return redirect(
        back if back.startswith("/talents/") else reverse("talents:leading_call", args=[app.call_id])
    )


@login_required
def schedules(request: HttpRequest) -> HttpResponse:
    user = _bureau(request)
    state = request.GET.get("state", "")
    if state not in RentState.values:
        state = ""
    return render(
        request,
        "talents/leading/schedules.html",
        {
            "schedules": selectors.schedules(user, state).order_by("state", "-id")[:200],
            "state": state,
            "states": RentState.choices,
            "end_form": EndForm(),
        },
    )


@login_required
@require_POST
def schedule_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = _bureau(request)
    schedule = get_object_or_404(RentSchedule, pk=pk)
    action = request.POST.get("action", "")
    if action == "pause":
        _run(
            request,
            lambda: rent.schedule_pause(actor=user, schedule=schedule, reason=request.POST.get("note", "")),
            _("已暂停"),
        )
    elif action == "resume":
        _run(request, lambda: rent.schedule_resume(actor=user, schedule=schedule), _("已恢复按月发放"))
    elif action == "end":
        form = EndForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("终止原因：请选择"))
        else:
            _run(
                request,
                lambda: rent.schedule_end(
                    actor=user,
                    schedule=schedule,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                ),
                _("已终止，原因已记录"),
            )
    return redirect("talents:leading_schedules")


@login_required
def exceptional_home(request: HttpRequest) -> HttpResponse:
    """Exceptional promotion: the worker applies and follows theirs; the bureau reviews and places."""
    user = acting_user(request)
    role = "bureau_officer" if user.is_superuser else user.role
    if role == "worker":
        form = ExceptionalForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                exceptional.exceptional_apply(
                    actor=user, uploads=request.FILES.getlist("evidence"), **form.cleaned_data
                )
            except DomainError as exc:
                form.show_domain_error(exc)
                form.mark_invalid()
            else:
                messages.success(request, _("破格晋升申请已提交"))
                return redirect("talents:exceptional")
        return render(
            request,
            "talents/leading/exceptional_mine.html",
            {"form": form, "rows": selectors.exceptional_for(user)},
        )
    require_role(user, "bureau_officer")
    rows = list(selectors.exceptional_for(user).prefetch_related("evidence")[:200])
    # The open promotion sessions of every admitted application's occupation and level, in one query.
    wanted = {(app.occupation_id, app.target_level) for app in rows if app.state == ExceptionalState.ADMITTED}
    open_sessions: dict[tuple[int, int], list[Session]] = {}
    if wanted:
        found = Session.objects.filter(
            kind=Session.Kind.PROMOTION,
            state=Session.State.OPEN,
            occupation_id__in={o for o, _level in wanted},
            level__in={level for _o, level in wanted},
        ).select_related("occupation", "evaluator__organisation")
        for session in found.order_by("date", "id"):
            open_sessions.setdefault((session.occupation_id, session.level), []).append(session)
    sessions = {
        app.pk: open_sessions.get((app.occupation_id, app.target_level), [])[:20]
        for app in rows
        if app.state == ExceptionalState.ADMITTED
    }
    return render(
        request,
        "talents/leading/exceptional.html",
        {"rows": [(app, sessions.get(app.pk, [])) for app in rows]},
    )


@login_required
@require_POST
def exceptional_action(request: HttpRequest, pk: int) -> HttpResponse:
    user = _bureau(request)
    app = get_object_or_404(ExceptionalApplication, pk=pk)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")
    if action in ("admit", "refuse"):
        _run(
            request,
            lambda: exceptional.exceptional_review(
                actor=user, application=app, admit=action == "admit", note=note
            ),
            _("审核意见已记录"),
        )
    elif action == "place":
        session = by_id(Session, request.POST.get("session"))
        if session is None:
            messages.error(request, _("考评批次：请选择"))
        else:
            _run(
                request,
                lambda: exceptional.exceptional_place(actor=user, application=app, session=session),
                _("已安排到晋级考评批次"),
            )
    else:
        raise Http404
    return redirect("talents:exceptional")


urlpatterns = [
    path("leading/", home, name="leading"),
    path("leading/calls/<int:pk>/", call_detail, name="leading_call"),
    path("leading/calls/<int:pk>/panel/", panel_add, name="leading_panel_add"),
    path("leading/applications/<int:pk>/act/", application_action, name="leading_act"),
    path("leading/schedules/", schedules, name="leading_schedules"),
    path("leading/schedules/<int:pk>/act/", schedule_action, name="leading_schedule_act"),
    path("exceptional/", exceptional_home, name="exceptional"),
    path("exceptional/<int:pk>/act/", exceptional_action, name="exceptional_act"),
]
