"""Pages of matching (issue 19 §4, §6).

`/matching/` shows each role what is theirs: a worker their job needs and matches (phone width), an
enterprise its job needs, an officer their assignments and the follow-ups due. A need's page ranks its
candidates with the reasons, masked until the worker accepts; the enterprise records the hire there.
Officers' pages (assignments, follow-ups, statistics) and the fairs are in views/officers.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.matching import selectors
from skillcity.matching.models import JobNeed, SeekerNeed
from skillcity.matching.selectors.officers import officer_assignments
from skillcity.matching.services import (
    job_need_create,
    job_need_set_state,
    match_contact_view,
    match_respond,
    seeker_need_record,
    seeker_need_withdraw,
)
from skillcity.matching.services.hires import hire_record_from_match, hire_why, start_month_of
from skillcity.matching.views import officers
from skillcity.matching.views.forms import HireForm, JobNeedForm, SeekerNeedForm, show_error

OFFICERS = ("bureau_officer", "town_officer")


def hires_shown(hires: list) -> list:  # type: ignore[type-arg]
    """Hires with the words of their state (why unconfirmed, or what they wait for)."""
    return [(h, hire_why(h)) for h in hires]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    role = user.role
    today = timezone.localdate()
    context: dict[str, object] = {"role": role}
    if role == "worker":
        if user.worker_id is None:
            raise PermissionDenied(_("请以已实名关联劳动者登记的账号查看"))
        form = SeekerNeedForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                seeker_need_record(
                    actor=user,
                    occupation=form.cleaned_data["occupation"],
                    towns=list(form.cleaned_data["towns"]),
                )
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("求职意向已保存，系统已按您的证书等级匹配岗位"))
                return redirect("matching:home")
        context |= {
            "form": form,
            "seeker_needs": selectors.seeker_needs_of(user.worker_id),
            "matches": selectors.worker_matches(user.worker_id),
            "hires": hires_shown(list(selectors.hires_visible(user)[:20])),
        }
        return render(request, "matching/home_worker.html", context, status=400 if form.errors else 200)
    if request.method == "POST":
        raise PermissionDenied(_("您的角色无权执行此操作"))
    if role == "organisation_user":
        context |= {
            "needs": list(selectors.needs_visible(user).order_by("state", "-created_at")[:100]),
            "hires": hires_shown(list(selectors.hires_visible(user)[:50])),
        }
        return render(request, "matching/home_enterprise.html", context)
    require_role(user, *OFFICERS)
    context |= {
        "rows": officer_assignments(user, today),
        "fairs": [
            f
            for f in selectors.fairs_public(today)[0]
            if user.role == "bureau_officer" or f.town_id == user.town_id
        ][:10],
        "needs": list(selectors.needs_visible(user).filter(state=JobNeed.State.OPEN)[:30]),
        "hires": hires_shown(list(selectors.hires_visible(user)[:30])),
    }
    return render(request, "matching/home_officer.html", context)


@login_required
def need_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "organisation_user")
    fairs = selectors.fairs_of_enterprise(user.organisation_id or 0, timezone.localdate())
    initial = {"town": user.organisation.town_id if user.organisation else None}
    form = JobNeedForm(request.POST or None, fairs=fairs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = job_need_create(
                actor=user,
                occupation=data["occupation"],
                level=data["level"],
                town=data["town"],
                head_count=data["head_count"],
                wage_min=data["wage_min"],
                wage_max=data["wage_max"],
                start=data["start"],
                description=data["description"],
                fair=data["fair"],
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request, _("用工需求已发布，已匹配 %(n)s 名求职者") % {"n": need.matches.count()}
            )
            return redirect("matching:need_detail", need.pk)
    return render(request, "matching/need_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    need = get_for(user, selectors.needs_visible(user), pk)
    own = user.role == "organisation_user" and user.organisation_id == need.enterprise_id
    return render(
        request,
        "matching/need_detail.html",
        {
            "need": need,
            "own": own,
            "candidates": [
                (m, why, selectors.contact_masked(m))
                for m, why in selectors.need_candidates(need, limit=selectors.CANDIDATES_SHOWN)
            ],
            "candidates_total": selectors.need_candidate_count(need),
            "candidates_shown": selectors.CANDIDATES_SHOWN,
            "hire_form": HireForm(),
            "states": JobNeed.State,
        },
    )


@login_required
@require_POST
def need_state(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    need = get_for(user, JobNeed.objects.all(), pk)
    job_need_set_state(actor=user, need=need, state=request.POST.get("state", ""))
    messages.success(request, _("需求状态已更新"))
    return redirect("matching:need_detail", need.pk)


@login_required
@require_POST
def seeker_need_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    seeker = get_for(user, SeekerNeed.objects.all(), pk)
    seeker_need_withdraw(actor=user, seeker=seeker)
    messages.success(request, _("求职意向已撤回"))
    return redirect("matching:home")


@login_required
@require_POST
def match_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    match = selectors.match_for(user, pk)
    accept = request.POST.get("answer") == "accept"
    match_respond(actor=user, match=match, accept=accept)
    messages.success(
        request,
        _("已接受，企业现在可以看到您的联系方式") if accept else _("已谢绝该岗位"),
    )
    return redirect("matching:home")


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A candidate as the enterprise (or an officer in scope) sees them: masked; after the worker
    accepted, a button shows the full details and writes the view to the audit log."""
    user = acting_user(request)
    if user.role == "worker":
        raise PermissionDenied(_("您的角色无权执行此操作"))
    match = selectors.match_for(user, pk)
    why = selectors.explain_matches([match])[0][1]
    contact = selectors.contact_masked(match)
    if request.method == "POST":
        contact = match_contact_view(actor=user, match=match)
    own = user.role == "organisation_user" and user.organisation_id == match.need.enterprise_id
    return render(
        request,
        "matching/match_detail.html",
        {
            "match": match,
            "why": why,
            "contact": contact,
            "can_reveal": (own and match.contact_open)
            or selectors.officer_sees_worker(user, match.worker_id),
            "own": own,
            "hire_form": HireForm(),
        },
    )


@login_required
@require_POST
def match_hire(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    match = selectors.match_for(user, pk)
    form = HireForm(request.POST)
    if form.is_valid():
        try:
            hire = hire_record_from_match(
                actor=user, match=match, start_month=start_month_of(form.cleaned_data["start_month"])
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request,
                _("录用已登记（%(state)s）：系统将按社保缴费记录确认") % {"state": hire.get_state_display()},
            )
            return redirect("matching:need_detail", match.need_id)
    return render(
        request,
        "matching/match_detail.html",
        {
            "match": match,
            "why": selectors.explain_matches([match])[0][1],
            "contact": selectors.contact_masked(match),
            "can_reveal": match.contact_open,
            "own": True,
            "hire_form": form,
        },
        status=400,
    )


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("needs/new/", need_create, name="need_create"),
    path("needs/<int:pk>/", need_detail, name="need_detail"),
    path("needs/<int:pk>/state/", need_state, name="need_state"),
    path("seeker-needs/<int:pk>/withdraw/", seeker_need_withdraw_view, name="seeker_need_withdraw"),
    path("matches/<int:pk>/", match_detail, name="match_detail"),
    path("matches/<int:pk>/respond/", match_respond_view, name="match_respond"),
    path("matches/<int:pk>/hire/", match_hire, name="match_hire"),
    *officers.urlpatterns,
]
