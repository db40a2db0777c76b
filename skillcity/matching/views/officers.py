"""Pages for employment service officers (D002 item 18), the bureau's statistics, the hires, and the
job fairs (public list and page; officers set them up, add enterprises and record hires at them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.accounts.models import User
from skillcity.core.access import acting_user, require_role
from skillcity.core.errors import DomainError
from skillcity.matching import selectors
from skillcity.matching.models import JobFair
from skillcity.matching.selectors.officers import assignment_for, assignments_visible
from skillcity.matching.selectors.stats import matching_statistics
from skillcity.matching.services.hires import hire_record_at_fair, hire_why, start_month_of
from skillcity.matching.services.officers import (
    assignment_create,
    assignment_end,
    fair_create,
    fair_enterprise_add,
    follow_up_record,
)
from skillcity.matching.views.forms import (
    AssignmentForm,
    FairEnterpriseForm,
    FairForm,
    FairHireForm,
    FollowUpForm,
    show_error,
)
from skillcity.registry.models import Organisation, Worker

OFFICERS = ("bureau_officer", "town_officer")


def _officer_choices(user: User) -> list[tuple[str, str]]:
    officers = User.objects.filter(role__in=OFFICERS, is_active=True).select_related("town")
    if user.role == "town_officer":
        officers = officers.filter(role="town_officer", town_id=user.town_id or 0)
    return [
        (str(o.pk), f"{o} · {o.town.name if o.town else _('市人社局')}")
        for o in officers.order_by("role", "id")[:300]
    ]


@login_required
def assignments(request: HttpRequest) -> HttpResponse:
    """Every assignment in the officer's scope, and the form to assign an enterprise or a job seeker."""
    user = acting_user(request)
    require_role(user, *OFFICERS)
    form = AssignmentForm(request.POST or None, officers=_officer_choices(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        key = data["key"].strip().upper()
        officer = User.objects.filter(pk=data["officer"]).first()
        enterprise = worker = None
        if data["subject"] == "enterprise":
            enterprise = Organisation.objects.filter(uscc=key).first()
        else:
            worker = Worker.objects.filter(id_number=key).first()
        if enterprise is None and worker is None:
            form.add_error("key", _("未找到或不在您的范围内"))
        else:
            try:
                assignment_create(actor=user, officer=officer, enterprise=enterprise, worker=worker)
            except DomainError as exc:
                show_error(form, exc, aliases={"subject": "key"})
            else:
                messages.success(request, _("已分配"))
                return redirect("matching:assignments")
    return render(
        request,
        "matching/assignments.html",
        {"form": form, "rows": assignments_visible(user, timezone.localdate())},
        status=400 if form.errors else 200,
    )


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    assignment = assignment_for(user, pk)
    mine = assignment.officer_id == user.pk
    form = FollowUpForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            follow_up_record(
                actor=user,
                assignment=assignment,
                date=data["date"],
                way=data["way"],
                done=data["done"],
                next_step=data["next_step"],
                next_date=data["next_date"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("跟进记录已保存"))
            return redirect("matching:assignment_detail", assignment.pk)
    return render(
        request,
        "matching/assignment_detail.html",
        {
            "assignment": assignment,
            "form": form,
            "mine": mine,
            "can_end": assignment.active
            and (user.role == "bureau_officer" or user.town_id == assignment.town_id),
            "follow_ups": list(assignment.follow_ups.all()),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def assignment_finish(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    assignment_end(actor=user, assignment=assignment_for(user, pk))
    messages.success(request, _("已结束该服务"))
    return redirect("matching:assignments")


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    stats = matching_statistics(user)
    t = stats.total
    totals = [
        (_("用工需求"), t.needs),
        (_("招聘人数"), t.head_count),
        (_("匹配"), t.matches),
        (_("已接受"), t.accepted),
        (_("录用"), t.hires),
        (_("已确认录用"), t.confirmed),
        (_("招聘会"), stats.fairs),
        (_("招聘会岗位"), stats.fair_vacancies),
        (_("招聘会参会企业"), stats.fair_enterprises),
        (_("招聘会录用"), stats.fair_hires),
    ]
    tables = [
        (_("镇街"), stats.by_town, "by-town"),
        (_("职业（工种）"), stats.by_occupation, "by-occupation"),
    ]
    return render(request, "matching/statistics.html", {"totals": totals, "tables": tables})


@login_required
def hires(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rows = selectors.hires_visible(user)
    state = request.GET.get("state", "")
    if state in ("pending", "confirmed", "unconfirmed"):
        rows = rows.filter(state=state)
    return render(
        request,
        "matching/hires.html",
        {"hires": [(h, hire_why(h)) for h in rows[:200]], "state": state},
    )


def fair_list(request: HttpRequest) -> HttpResponse:
    upcoming, past = selectors.fairs_public(timezone.localdate())
    user = request.user
    can_create = getattr(user, "is_authenticated", False) and getattr(user, "role", "") in OFFICERS
    return render(
        request,
        "matching/fair_list.html",
        {
            "sections": [(_("即将举办"), upcoming, "fairs-upcoming"), (_("往期招聘会"), past, "fairs-past")],
            "can_create": can_create,
        },
    )


def _can_manage(user: object, fair: JobFair) -> bool:
    role = getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""
    return role == "bureau_officer" or (
        role == "town_officer" and getattr(user, "town_id", None) == fair.town_id
    )


def fair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fair = get_object_or_404(JobFair.objects.select_related("town"), pk=pk)
    user = request.user
    manage = _can_manage(user, fair)
    participant = (
        getattr(user, "is_authenticated", False)
        and getattr(user, "role", "") == "organisation_user"
        and fair.enterprises.filter(enterprise_id=getattr(user, "organisation_id", None)).exists()
    )
    enterprise_form = FairEnterpriseForm(prefix="e")
    hire_form = FairHireForm(prefix="h")
    status = 200
    if request.method == "POST":
        actor = acting_user(request)
        if request.POST.get("action") == "enterprise":
            enterprise_form = FairEnterpriseForm(request.POST, prefix="e")
            if enterprise_form.is_valid():
                org = Organisation.objects.filter(
                    uscc=enterprise_form.cleaned_data["uscc"].strip().upper()
                ).first()
                if org is None:
                    enterprise_form.add_error("uscc", _("“统一社会信用代码”：未在单位登记中找到"))
                else:
                    try:
                        fair_enterprise_add(
                            actor=actor,
                            fair=fair,
                            enterprise=org,
                            booth=enterprise_form.cleaned_data["booth"],
                        )
                    except DomainError as exc:
                        show_error(enterprise_form, exc, aliases={"enterprise": "uscc"})
                    else:
                        messages.success(request, _("已添加参会企业"))
                        return redirect("matching:fair_detail", fair.pk)
        else:
            hire_form = FairHireForm(request.POST, prefix="h")
            if hire_form.is_valid():
                enterprise = actor.organisation if actor.role == "organisation_user" else None
                try:
                    month = start_month_of(hire_form.cleaned_data["start_month"])
                except DomainError as exc:
                    show_error(hire_form, exc)
                    month = None
                if month is None:
                    pass
                elif enterprise is None:
                    hire_form.add_error(None, _("请以参会企业的账号登记录用"))
                else:
                    try:
                        hire_record_at_fair(
                            actor=actor,
                            fair=fair,
                            enterprise=enterprise,
                            id_number=hire_form.cleaned_data["id_number"],
                            start_month=month,
                        )
                    except DomainError as exc:
                        show_error(hire_form, exc)
                    else:
                        messages.success(request, _("录用已登记，系统将按社保缴费记录确认"))
                        return redirect("matching:fair_detail", fair.pk)
        status = 400
    return render(
        request,
        "matching/fair_detail.html",
        {
            "fair": fair,
            "enterprises": selectors.fair_enterprises(fair),
            "manage": manage,
            "participant": participant,
            "enterprise_form": enterprise_form,
            "hire_form": hire_form,
        },
        status=status,
    )


@login_required
def fair_new(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    form = FairForm(request.POST or None, initial={"town": user.town_id})
    if request.method == "POST" and form.is_valid():
        try:
            fair = fair_create(actor=user, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("招聘会已创建"))
            return redirect("matching:fair_detail", fair.pk)
    return render(request, "matching/fair_form.html", {"form": form}, status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("assignments/", assignments, name="assignments"),
    path("assignments/<int:pk>/", assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/end/", assignment_finish, name="assignment_end"),
    path("statistics/", statistics, name="statistics"),
    path("hires/", hires, name="hires"),
    path("fairs/", fair_list, name="fair_list"),
    path("fairs/new/", fair_new, name="fair_new"),
    path("fairs/<int:pk>/", fair_detail, name="fair_detail"),
]
