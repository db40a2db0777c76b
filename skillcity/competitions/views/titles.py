"""Title and promotion pages: the public verification, the holder's titles, a title with its QR, the
officials' list with revocation, the organiser's/bureau's two actions per confirmed project or
competition, and the import of provincial and national titles."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from skillcity.certification.pdf import verify_url_for
from skillcity.certification.views import verify_page
from skillcity.competitions.models import Competition, Title
from skillcity.competitions.selectors import titles as selectors
from skillcity.competitions.services import promotions, title_imports, titles
from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.errors import DomainError
from skillcity.core.uploads import read_upload
from skillcity.registry.models import SkillRecord
from skillcity.web.forms import LabelledErrorsMixin

OFFICIAL_ROLES = ("bureau_officer", "town_officer", "organisation_user")


class TitleVerifyForm(LabelledErrorsMixin, forms.Form):
    number = forms.CharField(
        label=gettext_lazy("称号证书编号"),
        max_length=32,
        help_text=gettext_lazy("如 DGJSNS2025000123"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label=gettext_lazy("获得者姓名"),
        max_length=50,
        help_text=gettext_lazy("与称号证书上的姓名一致"),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class TitleRevokeForm(LabelledErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("撤销原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


def _role(user: Any) -> str:
    return "bureau_officer" if user.is_superuser else str(user.role)


def qr_data_uri(token: str, verify_url: str) -> str:
    """The QR opens the public verification page with the signed token (the CSP allows data: images)."""
    return str(segno.make(f"{verify_url}?qr={token}", error="m").png_data_uri(scale=4, border=2))


# --- public --------------------------------------------------------------------------------------


def title_verify(request: HttpRequest) -> HttpResponse:
    """称号查验: by number and name, or by the scanned QR (?qr=…). Public; rate-limited per address."""
    return verify_page(
        request,
        form_class=TitleVerifyForm,
        by_qr=selectors.verify_title_qr,
        by_number=selectors.verify_title_by_number,
        template="competitions/titles/verify.html",
    )


# --- the holder and officials --------------------------------------------------------------------


@login_required
def my_titles(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "worker")
    mine = selectors.titles_for(user.worker) if user.worker else Title.objects.none()
    return render(request, "competitions/titles/my_titles.html", {"titles": mine})


@login_required
def title_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if _role(user) == "worker":
        return redirect("competitions:my_titles")
    require_role(user, *OFFICIAL_ROLES)
    q = request.GET.get("q", "").strip()[:50]
    status = request.GET.get("status", "")
    status = status if status in Title.Status.values else ""
    honour = request.GET.get("honour", "")
    honour = honour if honour in SkillRecord.Honour.values else ""
    page = Paginator(selectors.title_list(user, q=q, status=status, honour=honour), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "competitions/titles/list.html",
        {
            "page": page,
            "q": q,
            "status": status,
            "honour": honour,
            "statuses": Title.Status.choices,
            "honours": SkillRecord.Honour.choices,
            "is_bureau": _role(user) == "bureau_officer",
            "can_act": _role(user) in ("bureau_officer", "organisation_user"),
        },
    )


def _title(request: HttpRequest, pk: int) -> Title:
    user = acting_user(request)
    if _role(user) == "worker":
        mine = selectors.titles_for(user.worker) if user.worker else Title.objects.none()
        return get_for(user, mine, pk)
    require_role(user, *OFFICIAL_ROLES)
    return get_for(user, selectors.title_list(user), pk)


@login_required
def title_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _title_page(request, _title(request, pk))


def _title_page(request: HttpRequest, title: Title, form: TitleRevokeForm | None = None) -> HttpResponse:
    form = form or TitleRevokeForm(auto_id="revoke-%s")
    verify_url = verify_url_for(request, "competitions:title_verify")
    return render(
        request,
        "competitions/titles/detail.html",
        {
            "t": title,
            # The holder and officials see the full name; the public page shows it masked.
            "view": {**selectors.public_view(title), "name": title.holder_name},
            "qr": qr_data_uri(title.qr_token, verify_url) if title.qr_token else "",
            "can_revoke": titles.may_revoke(acting_user(request), title),
            "revoke_form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def title_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    title = _title(request, pk)
    form = TitleRevokeForm(request.POST, auto_id="revoke-%s")
    if form.is_valid():
        try:
            titles.title_revoke(title=title, reason=form.cleaned_data["reason"], actor=acting_user(request))
            messages.success(request, _("称号已撤销，已通知获得者"))
            return redirect("competitions:title_detail", pk)
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
    return _title_page(request, title, form)


# --- actions: award titles, issue promotions -------------------------------------------------------


@login_required
def title_actions(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer", "organisation_user")
    projects = list(selectors.actionable_projects(user))
    counts = selectors.project_counts(projects)
    groups: dict[int, dict[str, Any]] = {}
    for p in projects:
        group = groups.setdefault(p.competition_id, {"competition": p.competition, "projects": []})
        group["projects"].append({"project": p, **counts[p.pk]})
    return render(
        request,
        "competitions/titles/actions.html",
        {"groups": list(groups.values()), "report": request.session.pop("promotion-report", None)},
    )


def _target(request: HttpRequest) -> dict[str, Any]:
    user = acting_user(request)
    projects = selectors.actionable_projects(user)
    if request.POST.get("project"):
        return {"project": get_for(user, projects, request.POST.get("project"))}
    competition_ids = projects.values_list("competition_id", flat=True)
    competition = Competition.objects.filter(pk__in=competition_ids, pk=_int(request.POST.get("competition")))
    if not competition.exists():
        raise DomainError("target_required", _("请指定一个竞赛项目或一个竞赛"))
    return {"competition": competition.get()}


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
@require_POST
def titles_award(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer", "organisation_user")
    try:
        made = titles.titles_award(actor=user, **_target(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("competitions:title_actions")
    if made:
        messages.success(request, _("已授予 %(n)d 个“东莞市技术能手”称号，并已通知获得者") % {"n": len(made)})
    else:
        messages.info(request, _("没有新的应授予称号的选手（已授予的不会重复授予）"))
    return redirect("competitions:title_actions")


@login_required
@require_POST
def promotions_issue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer", "organisation_user")
    try:
        report = promotions.promotions_issue(actor=user, **_target(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("competitions:title_actions")
    if report.promoted:
        messages.success(request, _("已颁发 %(n)d 张职业技能等级证书") % {"n": len(report.promoted)})
    elif not report.skipped:
        messages.info(request, _("没有新的应颁发或晋升等级的选手（已颁发的不会重复颁发）"))
    request.session["promotion-report"] = {
        "promoted": [
            {"name": p.worker.name, "level": p.certificate.level_name, "number": p.certificate.number}
            for p in report.promoted
        ],
        "skipped": [{"name": w.name, "project": pr.name, "reason": str(r)} for w, pr, r in report.skipped],
    }
    return redirect("competitions:title_actions")


# --- import -------------------------------------------------------------------------------------


@login_required
def titles_import(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer")
    errors: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [{"row": "", "column": _("文件"), "reason": _("请选择要导入的 .xlsx 文件")}]
            status = 400
        else:
            try:
                result = title_imports.titles_import(
                    filename=upload.name or "", content=read_upload(upload, label=_("称号文件")), actor=user
                )
            except DomainError as exc:
                errors = [{"row": "", "column": _("文件"), "reason": str(exc.message)}]
                status = 400
            else:
                if result.ok:
                    messages.success(request, _("导入完成：新记录 %(n)d 个称号") % {"n": result.created})
                    return redirect("competitions:titles_import")
                errors = [vars(e) for e in result.errors]
                status = 400
    return render(
        request,
        "competitions/titles/import.html",
        {"errors": errors, "honours": list(title_imports.HONOUR_BY_NAME)},
        status=status,
    )


@login_required
def titles_import_template(request: HttpRequest) -> HttpResponse:
    require_role(acting_user(request), "bureau_officer")
    response = HttpResponse(
        title_imports.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="titles-template.xlsx"'
    return response


urlpatterns = [
    path("titles/verify/", title_verify, name="title_verify"),
    path("titles/", title_list, name="title_list"),
    path("titles/my/", my_titles, name="my_titles"),
    path("titles/actions/", title_actions, name="title_actions"),
    path("titles/award/", titles_award, name="titles_award"),
    path("titles/promote/", promotions_issue, name="promotions_issue"),
    path("titles/import/", titles_import, name="titles_import"),
    path("titles/import-template.xlsx", titles_import_template, name="titles_import_template"),
    path("titles/<int:pk>/", title_detail, name="title_detail"),
    path("titles/<int:pk>/revoke/", title_revoke, name="title_revoke"),
]
