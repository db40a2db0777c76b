"""Pages of the 校企双制 classes: the school and the enterprise open a class; adding a student enrols
them as the enterprise's apprentice and employee at once; the class page shows the two rosters side by
side and any drift between them, which one action brings back in step."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from skillcity.apprenticeship import selectors
from skillcity.apprenticeship.forms import ClassForm, StudentForm
from skillcity.apprenticeship.models import DualClass
from skillcity.apprenticeship.services import may_manage
from skillcity.apprenticeship.services.classes import (
    dual_class_create,
    dual_class_enrol,
    dual_class_resolve_drift,
)
from skillcity.core.access import acting_user, require_role
from skillcity.core.errors import DomainError
from skillcity.registry.models import Organisation, OrganisationCategory

ROLES = ("bureau_officer", "town_officer", "organisation_user")


def _enterprise_of(user: Any) -> Organisation | None:
    """An enterprise's user opens classes of that enterprise only (its students become its employees)."""
    organisation = user.organisation if user.role == "organisation_user" else None
    if organisation is not None and organisation.category == OrganisationCategory.ENTERPRISE:
        return organisation  # type: ignore[no-any-return]
    return None


def _may_open(user: Any) -> bool:
    return user.role in ("bureau_officer", "town_officer") or _enterprise_of(user) is not None


def _list(request: HttpRequest, form: ClassForm | None = None, status: int = 200) -> HttpResponse:
    user = acting_user(request)
    classes = list(selectors.classes_for(user).order_by("-start", "-id")[:200])
    return render(
        request,
        "apprenticeship/classes.html",
        {
            "classes": classes,
            "form": form or (ClassForm(enterprise=_enterprise_of(user)) if _may_open(user) else None),
        },
        status=status,
    )


@login_required
def class_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *ROLES)
    if request.method != "POST":
        return _list(request)
    if not _may_open(user):
        raise DomainError("not_an_enterprise", _("校企双制班由合作企业或人社部门开设"), status=403)
    from skillcity.apprenticeship.selectors import mentor_not_employee, worker_by_id

    form = ClassForm(request.POST, enterprise=_enterprise_of(user))
    if not form.is_valid():
        return _list(request, form, 400)
    d = form.cleaned_data
    enterprise = (
        _enterprise_of(user) or Organisation.objects.filter(uscc=d["enterprise"].strip().upper()).first()
    )
    if enterprise is None:
        form.add_error("enterprise", _("平台登记中没有该统一社会信用代码的单位"))
    mentor, _why = worker_by_id(d["enterprise_mentor"])
    if mentor is None:
        form.add_error("enterprise_mentor", mentor_not_employee())
    if form.errors or enterprise is None:
        form.mark_invalid()
        return _list(request, form, 400)
    try:
        dual_class = dual_class_create(
            school=d["school"],
            enterprise=enterprise,
            name=d["name"],
            occupation=d["occupation"],
            level=d["level"],
            start=d["start"],
            end=d["end"],
            school_mentor=d["school_mentor"],
            enterprise_mentor=mentor,
            actor=user,
        )
    except DomainError as exc:
        form.show_domain_error(exc)
        form.mark_invalid()
        return _list(request, form, 400)
    messages.success(request, _("已开设校企双制班：%(n)s") % {"n": dual_class.name})
    return redirect("apprenticeship:class_detail", pk=dual_class.pk)


def _detail(
    request: HttpRequest, dual_class: DualClass, form: StudentForm | None = None, status: int = 200
) -> HttpResponse:
    user = acting_user(request)
    roster = selectors.class_roster(dual_class)
    manage = may_manage(user, dual_class.enterprise, dual_class.school)
    return render(
        request,
        "apprenticeship/class_detail.html",
        {
            "c": dual_class,
            "roster": roster,
            "drift": [line for line in roster if not line.employed],
            "manage": manage,
            "form": form or (StudentForm() if manage else None),
        },
        status=status,
    )


@login_required
def class_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *ROLES)
    return _detail(request, selectors.class_get(user, pk))


@login_required
@require_POST
def class_student_add(request: HttpRequest, pk: int) -> HttpResponse:
    from skillcity.apprenticeship.selectors import worker_by_id

    user = acting_user(request)
    require_role(user, *ROLES)
    dual_class = selectors.class_get(user, pk)
    form = StudentForm(request.POST)
    if form.is_valid():
        worker, why = worker_by_id(form.cleaned_data["id_number"], form.cleaned_data["name"])
        if worker is None:
            form.add_error("id_number", _("学生身份证号码：%(why)s") % {"why": why})
        else:
            try:
                done = dual_class_enrol(
                    dual_class=dual_class,
                    worker=worker,
                    registration_number=form.cleaned_data["registration_number"],
                    actor=user,
                )
            except DomainError as exc:
                form.show_domain_error(exc, aliases={"worker": "id_number"})
            else:
                messages.success(
                    request,
                    _("%(w)s已入班，同时登记为“%(e)s”的职工和新型学徒")
                    % {"w": worker.name, "e": dual_class.enterprise.name},
                )
                return redirect("apprenticeship:class_detail", pk=done.dual_class_id)
        form.mark_invalid()
    return _detail(request, dual_class, form, 400)


@login_required
@require_POST
def class_sync(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *ROLES)
    dual_class = selectors.class_get(user, pk)
    left = dual_class_resolve_drift(dual_class=dual_class, actor=user)
    messages.success(request, _("名册已同步：%(n)s 名已离开合作企业的学生同时退班") % {"n": left})
    return redirect("apprenticeship:class_detail", pk=pk)


urlpatterns: list[URLPattern] = [
    path("classes/", class_list, name="classes"),
    path("classes/<int:pk>/", class_detail, name="class_detail"),
    path("classes/<int:pk>/students/", class_student_add, name="class_student_add"),
    path("classes/<int:pk>/sync/", class_sync, name="class_sync"),
]
