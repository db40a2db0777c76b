"""Pages of the new-style apprenticeship (issue 19 §1, §6).

An enterprise's user enrols its employees as apprentices (one by one, or by import), records progress
and a leaver; a school's user sees the apprentices it trains and records progress; a town officer sees
the apprentices of their town's enterprises; the bureau sees all and the statistics toward D003's
19,936. The evaluator (or the bureau) enters an apprentice into a certification session.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.apprenticeship import selectors
from skillcity.apprenticeship.forms import AssessForm, EnrolForm, ImportForm, LeaveForm, ProgressForm
from skillcity.apprenticeship.models import Apprenticeship, Status
from skillcity.apprenticeship.services import (
    Terms,
    apprenticeship_assess,
    apprenticeship_enrol,
    apprenticeship_leave,
    may_manage,
    progress_record,
)
from skillcity.apprenticeship.services.imports import COLUMNS, TEMPLATE_EXAMPLE, apprenticeships_import
from skillcity.core.access import acting_user, require_role
from skillcity.core.errors import DomainError
from skillcity.core.exports import xlsx_response
from skillcity.core.uploads import read_upload
from skillcity.registry.models import Organisation
from skillcity.registry.sheet_rows import template

ROLES = ("bureau_officer", "town_officer", "organisation_user")


def _own_organisation(user: Any) -> Organisation | None:
    return user.organisation if user.role == "organisation_user" else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *ROLES)
    q, status = request.GET.get("q", ""), request.GET.get("status", "")
    rows = selectors.search(selectors.apprenticeships_for(user), q=q, status=status)
    page = Paginator(rows, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    own = _own_organisation(user)
    return render(
        request,
        "apprenticeship/home.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "statuses": Status.choices,
            "can_enrol": user.role != "organisation_user"
            or (own is not None and own.category == "enterprise"),
            "is_bureau": user.role == "bureau_officer",
        },
    )


def _enrol_page(request: HttpRequest, form: EnrolForm, status: int = 200) -> HttpResponse:
    return render(request, "apprenticeship/enrol.html", {"form": form}, status=status)


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *ROLES)
    own = _own_organisation(user)
    if own is not None and own.category != "enterprise":
        raise DomainError("not_an_enterprise", _("只有企业可以登记本企业的学徒"), status=403)
    if request.method != "POST":
        return _enrol_page(request, EnrolForm(pick_enterprise=own is None))
    form = EnrolForm(request.POST, pick_enterprise=own is None)
    if not form.is_valid():
        return _enrol_page(request, form, 400)
    d = form.cleaned_data
    enterprise = own or Organisation.objects.filter(uscc=d["enterprise"].strip().upper()).first()
    if enterprise is None:
        form.add_error("enterprise", _("平台登记中没有该统一社会信用代码的单位"))
    worker, why = selectors.worker_by_id(d["id_number"], d["name"])
    if worker is None:
        form.add_error("id_number", _("学徒身份证号码：%(why)s") % {"why": why})
    mentor, _why = selectors.worker_by_id(d["enterprise_mentor"])
    if mentor is None:
        form.add_error("enterprise_mentor", selectors.mentor_not_employee())
    if form.errors or worker is None or enterprise is None:
        form.mark_invalid()
        return _enrol_page(request, form, 400)
    terms = Terms(
        school=d["school"],
        occupation=d["occupation"],
        level=d["level"],
        contract_start=d["contract_start"],
        contract_end=d["contract_end"],
        registration_number=d["registration_number"],
        study_mode=d["study_mode"],
        registration_start=d["registration_start"],
        registration_end=d["registration_end"],
        enterprise_mentor=mentor,
        school_mentor=d["school_mentor"],
    )
    try:
        done = apprenticeship_enrol(worker=worker, enterprise=enterprise, terms=terms, actor=user)
    except DomainError as exc:
        form.show_domain_error(exc, aliases={"worker": "id_number"})
        form.mark_invalid()
        return _enrol_page(request, form, 400)
    messages.success(request, _("已登记新型学徒：%(w)s") % {"w": worker.name})
    return redirect("apprenticeship:detail", pk=done.pk)


def _sessions_for(user: Any, apprenticeship: Apprenticeship) -> Any:
    """The open sessions of the plan's occupation and level that `user` may enter candidates into."""
    from skillcity.certification.models import Session

    sessions = Session.objects.filter(
        state=Session.State.OPEN, occupation=apprenticeship.occupation, level=apprenticeship.level
    ).select_related("evaluator__organisation")
    if user.role == "bureau_officer" or user.is_superuser:
        return sessions.filter(evaluator__state="active")
    if user.role == "organisation_user":
        return sessions.filter(evaluator__organisation_id=user.organisation_id, evaluator__state="active")
    return sessions.none()


def _detail(
    request: HttpRequest, apprenticeship: Apprenticeship, status: int = 200, **forms: Any
) -> HttpResponse:
    user = acting_user(request)
    manage = may_manage(user, apprenticeship.enterprise, apprenticeship.school)
    sessions = _sessions_for(user, apprenticeship)
    open_ = apprenticeship.left_on is None
    candidate = apprenticeship.candidate
    certificate = getattr(candidate, "certificate", None) if candidate is not None else None
    return render(
        request,
        "apprenticeship/detail.html",
        {
            "a": apprenticeship,
            "certificate": certificate,
            "progress": list(apprenticeship.progress.select_related("recorded_by")[:100]),
            "hours": sum(apprenticeship.progress.values_list("hours", flat=True)),
            "manage": manage and open_,
            "progress_form": forms.get("progress_form") or ProgressForm(),
            "leave_form": forms.get("leave_form") or LeaveForm(),
            "assess_form": forms.get("assess_form")
            or (AssessForm(sessions=sessions) if open_ and candidate is None and sessions.exists() else None),
        },
        status=status,
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *ROLES)
    return _detail(request, selectors.apprenticeship_get(user, pk))


@login_required
@require_POST
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *ROLES)
    apprenticeship = selectors.apprenticeship_get(user, pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            progress_record(apprenticeship=apprenticeship, actor=user, **form.cleaned_data)
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
        else:
            messages.success(request, _("已记录培训进度"))
            return redirect("apprenticeship:detail", pk=pk)
    return _detail(request, apprenticeship, 400, progress_form=form)


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *ROLES)
    apprenticeship = selectors.apprenticeship_get(user, pk)
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            apprenticeship_leave(
                apprenticeship=apprenticeship,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["leave_reason"],
                actor=user,
            )
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
        else:
            messages.success(request, _("已办理学徒退出"))
            return redirect("apprenticeship:detail", pk=pk)
    return _detail(request, apprenticeship, 400, leave_form=form)


@login_required
@require_POST
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *ROLES)
    apprenticeship = selectors.apprenticeship_get(user, pk)
    form = AssessForm(request.POST, sessions=_sessions_for(user, apprenticeship))
    if form.is_valid():
        try:
            apprenticeship_assess(
                apprenticeship=apprenticeship, session=form.cleaned_data["session"], actor=user
            )
        except DomainError as exc:
            form.show_domain_error(exc, aliases={"worker": "session"})
            form.mark_invalid()
        else:
            messages.success(request, _("已报名考核：学徒已加入考核批次"))
            return redirect("apprenticeship:detail", pk=pk)
    return _detail(request, apprenticeship, 400, assess_form=form)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *ROLES)
    result = None
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = apprenticeships_import(
                    actor=user, filename=upload.name or "", content=read_upload(upload, label=_("导入文件"))
                )
            except DomainError as exc:
                form.show_domain_error(exc)
                form.mark_invalid()
            else:
                if result.ok:
                    messages.success(request, _("导入成功：登记学徒 %(n)s 名") % {"n": result.created})
                    return redirect("apprenticeship:home")
    failed = request.method == "POST" and (result is None or not result.ok)
    return render(
        request,
        "apprenticeship/import.html",
        {"form": form, "result": result, "columns": list(COLUMNS)},
        status=400 if failed else 200,
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), *ROLES)
    return xlsx_response(template(COLUMNS, _("新型学徒"), TEMPLATE_EXAMPLE), "apprentices-template.xlsx")


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), "bureau_officer")
    return render(request, "apprenticeship/stats.html", {"s": selectors.statistics()})


from skillcity.apprenticeship.views import classes  # noqa: E402

urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("new/", enrol, name="enrol"),
    path("import/", import_page, name="import"),
    path("template.xlsx", import_template, name="import_template"),
    path("statistics/", stats, name="stats"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/progress/", progress_add, name="progress"),
    path("<int:pk>/leave/", leave, name="leave"),
    path("<int:pk>/assess/", assess, name="assess"),
    *classes.urlpatterns,
]
