"""Pages of the employment records (issue 19 §2).

The bureau imports contribution records (.xlsx/.csv, all rows or none), sees each import and each pull
from the social-insurance system (a refused pull with its bad rows) and can pull now; an officer opens a
worker's employment spells (the registry's worker page links here, in the officer's scope); a worker
sees their own on the phone.
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
from skillcity.core.errors import DomainError
from skillcity.core.exports import xlsx_response
from skillcity.core.uploads import read_upload
from skillcity.employment import selectors
from skillcity.employment.models import ContributionBatch
from skillcity.employment.services import COLUMNS, TEMPLATE_EXAMPLE, contributions_import
from skillcity.employment.services.adapter import REQUEST_PAGES, contributions_pull
from skillcity.registry.models import Worker
from skillcity.registry.sheet_rows import template

OFFICERS = ("bureau_officer", "town_officer")


@login_required
def records(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    result = None
    if request.method == "POST":
        require_role(user, "bureau_officer")
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的文件"))
        else:
            try:
                result = contributions_import(
                    actor=user, filename=upload.name or "", content=read_upload(upload, label=_("导入文件"))
                )
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                if result.ok:
                    messages.success(
                        request,
                        _("导入成功：写入 %(n)s 条，已有相同记录 %(u)s 条")
                        % {"n": result.created, "u": result.unchanged},
                    )
                    return redirect("employment:records")
    return render(
        request,
        "employment/records.html",
        {
            "result": result,
            "batches": ContributionBatch.objects.select_related("actor")[:20],
            "is_bureau": user.role == "bureau_officer",
            "columns": list(COLUMNS),
        },
        status=400 if result is not None and not result.ok else 200,
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), *OFFICERS)
    return xlsx_response(template(COLUMNS, _("缴费记录"), TEMPLATE_EXAMPLE), "contributions-template.xlsx")


@login_required
@require_POST
def pull_now(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    # A few pages in the request (the daily job reads the rest); the batches' audit rows name who pressed.
    done = contributions_pull(max_pages=REQUEST_PAGES, actor=user)
    messages.success(
        request,
        _("已从社保系统接口拉取：写入 %(n)s 条，已有相同记录 %(u)s 条")
        % {"n": done["written"], "u": done["unchanged"]},
    )
    if done["held"]:
        messages.warning(
            request, _("另有 %(n)s 条记录有错误，已留存待处理，详见下方列表") % {"n": done["held"]}
        )
    return redirect("employment:records")


def _spells_page(request: HttpRequest, worker: Worker, *, own: bool) -> HttpResponse:
    spells = selectors.spells_of(worker.pk)
    return render(
        request,
        "employment/spells.html",
        {"worker": worker, "spells": list(reversed(spells)), "own": own},
    )


@login_required
def worker_spells(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    return _spells_page(request, get_for(user, Worker.objects.all(), pk), own=False)


@login_required
def my_spells(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    worker = user.worker
    if worker is None:
        raise DomainError("not_a_worker", _("请以已实名关联劳动者登记的账号查看本人就业记录"), status=403)
    return _spells_page(request, worker, own=True)


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """The loop's figures from the records: graduates employed per school and year (bureau), insured
    workers by town and hires/separations per month (a town officer: the town's workers)."""
    from skillcity.employment.selectors import stats as figures

    user = acting_user(request)
    require_role(user, *OFFICERS)
    town_id = user.town_id if user.role == "town_officer" else None
    latest_year = timezone.localdate().year - 1
    summary, schools = figures.cached(town_id=town_id, years=[latest_year - 1, latest_year])
    return render(
        request,
        "employment/stats.html",
        {"summary": summary, "schools": schools, "target": figures.TARGET, "is_bureau": town_id is None},
    )


urlpatterns: list[URLPattern] = [
    path("", records, name="records"),
    path("template.xlsx", import_template, name="import_template"),
    path("pull/", pull_now, name="pull_now"),
    path("workers/<int:pk>/", worker_spells, name="worker_spells"),
    path("mine/", my_spells, name="my_spells"),
    path("stats/", stats, name="stats"),
]
