"""Registry pages: lists with search, filters and pagination; detail; create; edit; import; export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from skillcity.core.access import acting_user, can_write, get_for, require_role
from skillcity.core.audit import audit_personal_data_view
from skillcity.core.bounds import query_ids, report_ignored_filters
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.exports import export_or_background, xlsx_response
from skillcity.core.uploads import read_upload
from skillcity.registry import imports, selectors, services
from skillcity.registry.forms import (
    OrganisationForm,
    SkillRecordForm,
    WorkerForm,
    drop_blank,
    keep_stored_number,
    organisation_initial,
)
from skillcity.registry.models import (
    Industry,
    Occupation,
    Organisation,
    OrganisationCategory,
    SkillLevel,
    Town,
    Worker,
)

STAFF_ROLES = ("bureau_officer", "town_officer", "organisation_user")
OFFICER_ROLES = ("bureau_officer", "town_officer")


def _town_lock(user: Any) -> Town | None:
    return user.town if getattr(user, "role", "") == "town_officer" else None


def _filters(params: Any, names: list[str]) -> dict[str, str]:
    return {name: str(params.get(name, "")).strip() for name in names}


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return xlsx_response(content, filename)


# --- workers -------------------------------------------------------------------------------------


_WORKER_FILTERS = {"town": gettext_lazy("所在镇街"), "employer": gettext_lazy("工作单位")}
_ORGANISATION_FILTERS = {"town": gettext_lazy("所在镇街"), "industry": gettext_lazy("所属产业")}
LEVEL_FILTERS = ("1", "2", "3", "4", "5", "none")


def _worker_queryset(request: HttpRequest) -> tuple[Any, dict[str, str], list[str]]:
    return worker_queryset_for(acting_user(request), request.GET)


def worker_queryset_for(user: Any, params: Any) -> tuple[Any, dict[str, str], list[str]]:
    """The worker list `user` sees under the filters `params` (the page's query), with the bad filters."""
    f = _filters(params, ["q", "town", "level", "employer", "high_skilled"])
    ids, bad = query_ids(f, _WORKER_FILTERS)
    if f["level"] not in ("", *LEVEL_FILTERS):
        bad.append(_("技能等级"))
    workers = selectors.worker_list(
        user,
        q=f["q"],
        town=ids["town"] if user.is_bureau or user.is_superuser else None,
        level=f["level"] if f["level"] in LEVEL_FILTERS else None,
        employer=ids["employer"],
        high_skilled={"1": True, "0": False}.get(f["high_skilled"]),
    )
    return workers, f, bad


def _export_or_back(request: HttpRequest, bad: list[str], list_name: str) -> HttpResponse | None:
    """An export with a filter that is not valid goes back to its list, which names the filter."""
    if not bad:
        return None
    return redirect(f"{reverse(list_name)}?{request.GET.urlencode()}")


@login_required
def worker_list(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), *STAFF_ROLES)
    workers, f, bad = _worker_queryset(request)
    report_ignored_filters(request, bad)
    page = Paginator(workers, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/worker_list.html",
        {
            "page": page,
            "f": f,
            "towns": Town.objects.all(),
            "levels": SkillLevel.choices,
            "can_create": acting_user(request).role in OFFICER_ROLES or acting_user(request).is_superuser,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def worker_export(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), *STAFF_ROLES)
    workers, _f, bad = _worker_queryset(request)
    if back := _export_or_back(request, bad, "registry:worker_list"):
        return back
    full = request.GET.get("full") == "1"
    if full:
        require_role(acting_user(request), "bureau_officer")

    def immediate() -> HttpResponse:
        if full:
            services.personal_data_export_record(
                actor=acting_user(request), what="workers", filters=request.GET.dict()
            )
        content = imports.export_workbook(
            "劳动者", imports.WORKER_EXPORT_HEADER, imports.worker_export_rows(workers, full=full)
        )
        return _xlsx(content, "workers.xlsx")

    return export_or_background(request, kind="workers", rows=workers.count(), immediate=immediate, full=full)


@login_required
def worker_detail(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_for(acting_user(request), Worker.objects.select_related("town", "employer"), pk)
    return render(
        request,
        "registry/worker_detail.html",
        {
            "worker": worker,
            "records": worker.skill_records.select_related("occupation"),
            "can_edit": can_write(acting_user(request), worker),
            "can_add_record": _role_of(acting_user(request)) in OFFICER_ROLES
            and can_write(acting_user(request), worker),
            "can_reveal": acting_user(request).sees_personal_data,
        },
    )


def _role_of(user: Any) -> str:
    return "bureau_officer" if user.is_superuser else str(user.role)


@login_required
def skill_record_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer adds a skill level, special ability, permit, title or honour to a worker of their scope."""
    user = acting_user(request)
    require_role(user, *OFFICER_ROLES)
    worker = get_for(user, Worker.objects.select_related("town"), pk, write=True)
    form = SkillRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.skill_record_add(worker=worker, actor=user, **form.record_kwargs())
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已添加记录"))
            return redirect("registry:worker_detail", pk=worker.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("添加技能记录"), "object": worker, "back": "registry:worker_list"},
    )


@login_required
@require_POST
def worker_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_for(acting_user(request), Worker.objects.all(), pk)
    if not acting_user(request).sees_personal_data:
        raise PermissionDenied(_("您的角色无权查看完整个人信息"))
    field = request.POST.get("field", "id_number")
    if field not in ("id_number", "phone"):
        raise DomainError("invalid", _("未知字段"), {"field": _("未知字段")})
    audit_personal_data_view(actor=acting_user(request), target=worker, field=field)
    return JsonResponse({"field": field, "value": getattr(worker, field)})


@login_required
def worker_create(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), *OFFICER_ROLES)
    lock = _town_lock(acting_user(request))
    form = WorkerForm(request.POST or None, town_locked=lock)
    if request.method == "POST" and form.is_valid():
        data = form.payload()
        if lock is not None:
            data["town"] = lock.code
        try:
            worker = services.worker_create(data=data, actor=acting_user(request))
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已登记劳动者 %(name)s") % {"name": worker.name})
            return redirect("registry:worker_detail", pk=worker.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("登记劳动者"), "back": "registry:worker_list"},
    )


@login_required
def worker_edit(request: HttpRequest, pk: int) -> HttpResponse:
    worker = get_for(acting_user(request), Worker.objects.select_related("town", "employer"), pk, write=True)
    lock = _town_lock(acting_user(request))
    initial = {
        "name": worker.name,
        "id_number": worker.id_number_masked,
        "town": worker.town.code,
        "employer": worker.employer.uscc if worker.employer else "",
    }
    form = WorkerForm(request.POST or None, initial=initial, town_locked=lock, editing=True)
    keep_stored_number(form, "phone", worker.phone_masked)
    if request.method == "POST" and form.is_valid():
        data = drop_blank(form.payload(), "phone")
        data.pop("id_number", None)
        if lock is not None:
            data["town"] = lock.code
        try:
            services.worker_update(worker=worker, data=data, actor=acting_user(request))
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已保存"))
            return redirect("registry:worker_detail", pk=worker.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("修改劳动者信息"), "object": worker, "back": "registry:worker_list"},
    )


# --- organisations -------------------------------------------------------------------------------


def _organisation_queryset(request: HttpRequest) -> tuple[Any, dict[str, str], list[str]]:
    return organisation_queryset_for(acting_user(request), request.GET)


def organisation_queryset_for(user: Any, params: Any) -> tuple[Any, dict[str, str], list[str]]:
    f = _filters(params, ["q", "town", "category", "industry"])
    ids, bad = query_ids(f, _ORGANISATION_FILTERS)
    organisations = selectors.organisation_list(
        user,
        q=f["q"],
        town=ids["town"] if user.is_bureau or user.is_superuser else None,
        category=f["category"],
        industry=ids["industry"],
    )
    return organisations, f, bad


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), *STAFF_ROLES)
    organisations, f, bad = _organisation_queryset(request)
    report_ignored_filters(request, bad)
    page = Paginator(organisations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/organisation_list.html",
        {
            "page": page,
            "f": f,
            "towns": Town.objects.all(),
            "categories": OrganisationCategory.choices,
            "industries": Industry.objects.all(),
            "query": request.GET.urlencode(),
            "can_create": acting_user(request).role in OFFICER_ROLES or acting_user(request).is_superuser,
        },
    )


@login_required
def organisation_export(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), *STAFF_ROLES)
    organisations, _f, bad = _organisation_queryset(request)
    if back := _export_or_back(request, bad, "registry:organisation_list"):
        return back

    def immediate() -> HttpResponse:
        content = imports.export_workbook(
            "单位", imports.ORGANISATION_EXPORT_HEADER, imports.organisation_export_rows(organisations)
        )
        return _xlsx(content, "organisations.xlsx")

    return export_or_background(
        request, kind="organisations", rows=organisations.count(), immediate=immediate
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_for(acting_user(request), Organisation.objects.select_related("town", "industry"), pk)
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "organisation": organisation,
            "can_edit": can_write(acting_user(request), organisation),
            "employee_count": organisation.employees.count(),
        },
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), *OFFICER_ROLES)
    lock = _town_lock(acting_user(request))
    form = OrganisationForm(request.POST or None, town_locked=lock)
    if request.method == "POST" and form.is_valid():
        data = form.payload()
        if lock is not None:
            data["town"] = lock.code
        try:
            organisation = services.organisation_create(data=data, actor=acting_user(request))
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已登记单位 %(name)s") % {"name": organisation.name})
            return redirect("registry:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "registry/form.html",
        {"form": form, "title": _("登记单位"), "back": "registry:organisation_list"},
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_for(
        acting_user(request), Organisation.objects.select_related("town", "industry"), pk, write=True
    )
    lock = _town_lock(acting_user(request))
    if acting_user(request).role == "organisation_user":
        lock = organisation.town
    form = OrganisationForm(
        request.POST or None, initial=organisation_initial(organisation), town_locked=lock, editing=True
    )
    keep_stored_number(form, "mobile", organisation.mobile_masked)
    if request.method == "POST" and form.is_valid():
        data = drop_blank(form.payload(), "mobile")
        data.pop("uscc", None)
        if lock is not None:
            data["town"] = lock.code
        try:
            services.organisation_update(organisation=organisation, data=data, actor=acting_user(request))
        except DomainError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已保存"))
            return redirect("registry:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("修改单位信息"),
            "object": organisation,
            "back": "registry:organisation_list",
        },
    )


# --- import and reference ------------------------------------------------------------------------


@login_required
def import_records(request: HttpRequest, kind: str) -> HttpResponse:
    require_role(acting_user(request), *OFFICER_ROLES)
    if kind not in ("workers", "organisations"):
        raise DomainError("not_found", _("未知导入类型"), status=404)
    result = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的文件"))
        else:
            try:
                result = imports.run_import(
                    kind=kind,
                    filename=upload.name or "",
                    content=read_upload(upload, label=_("导入文件")),
                    actor=acting_user(request),
                )
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                if result.ok:
                    messages.success(request, _("导入成功：共 %(n)s 条") % {"n": result.created})
                    return redirect(
                        "registry:worker_list" if kind == "workers" else "registry:organisation_list"
                    )
    return render(
        request,
        "registry/import.html",
        {"kind": kind, "result": result, "title": _("导入劳动者") if kind == "workers" else _("导入单位")},
    )


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    require_role(acting_user(request), *OFFICER_ROLES)
    return _xlsx(imports.template_workbook(kind), f"{kind}-template.xlsx")


@login_required
def reference(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), *OFFICER_ROLES)
    return render(
        request,
        "registry/reference.html",
        {
            "towns": Town.objects.all(),
            "industries": Industry.objects.all(),
            "occupations": Occupation.objects.all(),
        },
    )
