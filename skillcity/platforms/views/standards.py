"""Pages of the standards: a developer's projects and filing; the bureau's acceptance, the panel with
each member's score, certification, and the count against 117 + 5 a year; the public list of
certified standards."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from skillcity.core.access import _role, acting_user, get_for, require_role
from skillcity.core.errors import DomainError
from skillcity.platforms.models.standards import StandardState
from skillcity.platforms.selectors import standards as selectors
from skillcity.platforms.services import standards as services
from skillcity.platforms.views.experts.forms import PanelDrawForm
from skillcity.platforms.views.standards_forms import (
    StandardCertifyForm,
    StandardFileForm,
    StandardNoteForm,
    StandardPanelForm,
    StandardScoreForm,
)
from skillcity.registry.models import Occupation, Organisation, Worker


def _user(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer", "organisation_user")
    return user


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    bureau = _role(user) == "bureau_officer"
    state = request.GET.get("state", "")
    if state not in StandardState.values:
        state = ""
    page = Paginator(selectors.standards_for(user, state), 50).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "page": page,
        "state": state,
        "states": StandardState.choices,
        "bureau": bureau,
    }
    if bureau:
        context["progress"] = selectors.progress()
    return render(request, "platforms/standards/list.html", context)


@login_required
def standard_file(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    bureau = _role(user) == "bureau_officer"
    form = StandardFileForm(request.POST or None, for_bureau=bureau)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if bureau:
                developer = Organisation.objects.filter(uscc=data["developer"].strip().upper()).first()
                if developer is None:
                    raise DomainError(
                        "unknown_developer",
                        _("没有找到开发单位"),
                        {"developer": _("没有找到该统一社会信用代码的单位")},
                    )
            else:
                developer = user.organisation
            standard = services.standard_file(
                actor=user,
                developer=developer,
                occupation=Occupation.objects.get(code=data["occupation"]),
                kind=data["kind"],
                title=data["title"],
                plan=data["plan"],
                planned_completion=data["planned_completion"],
                requested=data["requested"],
            )
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
        else:
            messages.success(request, _("标准开发项目已申报"))
            return redirect("platforms:standard_detail", pk=standard.pk)
    return render(
        request, "platforms/standards/file.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One standard. The developer submits it for acceptance; the bureau accepts or returns it, builds
    the panel, records each member's score and certifies it — each form's errors next to its fields."""
    user = _user(request)
    standard = get_for(user, selectors.standards_for(user), pk)
    bureau = _role(user) == "bureau_officer"
    action = request.POST.get("action", "") if request.method == "POST" else ""
    note_form = StandardNoteForm(request.POST if action in ("accept", "return") else None)
    certify_form = StandardCertifyForm(request.POST if action == "certify" else None)
    panel_form = StandardPanelForm(request.POST if action == "panel_add" else None)
    member_id = request.POST.get("member", "") if action == "score" else ""
    score_forms = {
        m.pk: StandardScoreForm(
            request.POST if str(m.pk) == member_id else None,
            prefix=f"m{m.pk}",
            initial={"score": m.score, "comment": m.comment},
        )
        for m in standard.panel.all()
    }
    top_error = ""
    if action:
        try:
            forms_by_action = {"certify": certify_form, "panel_add": panel_form}
            done = _act(
                request, user, bureau, standard, action, note_form, forms_by_action, score_forms, member_id
            )
        except DomainError as exc:
            form: Any = None
            if action == "panel_add":
                form = panel_form
            elif action == "score":
                form = score_forms.get(int(member_id)) if member_id.isdigit() else None
            elif action in ("accept", "return"):
                form = note_form
            elif action == "certify":
                form = certify_form
            if form is None:
                top_error = str(exc.message)
            else:
                form.show_domain_error(exc)
                form.mark_invalid()
        else:
            if done:
                return redirect("platforms:standard_detail", pk=standard.pk)
    members = list(standard.panel.select_related("worker__employer"))
    return render(
        request,
        "platforms/standards/detail.html",
        {
            "standard": standard,
            "bureau": bureau,
            "is_developer": not bureau and user.organisation_id == standard.developer_id,
            "note_form": note_form,
            "panel_form": panel_form,
            "expert_draw_form": PanelDrawForm(auto_id="expert-draw-%s"),
            "certify_form": certify_form,
            "rows": [(m, score_forms[m.pk]) for m in members],
            "mean": services.panel_mean(standard),
            "panel_min": services.PANEL_MIN,
            "pass_mean": services.PASS_MEAN,
            "grant": services.grant_of(standard),
            "top_error": top_error,
        },
        status=400 if action else 200,
    )


def _act(
    request: HttpRequest,
    user: Any,
    bureau: bool,
    standard: Any,
    action: str,
    note_form: StandardNoteForm,
    forms_by_action: dict[str, Any],
    score_forms: dict[int, StandardScoreForm],
    member_id: str,
) -> bool:
    """Run one action; True when done (the page redirects), False when a form shows its errors."""
    if action == "submit":
        services.standard_submit(actor=user, standard=standard)
        messages.success(request, _("已提交验收"))
        return True
    if not bureau:
        raise DomainError("bureau_only", _("只有人社局工作人员可以办理"))
    if action == "certify":
        certify_form = forms_by_action["certify"]
        if not certify_form.is_valid():
            return False
        grant = services.standard_certify(
            actor=user,
            standard=standard,
            note=certify_form.cleaned_data["note"],
            day=certify_form.cleaned_data["certified_on"],
        )
        standard.refresh_from_db()
        if grant is not None:
            messages.success(
                request, _("标准已认定；开发经费申请（编号 %(id)s）已提交补贴审核") % {"id": grant.pk}
            )
        else:
            messages.warning(request, standard.note)
        return True
    if action in ("accept", "return"):
        if not note_form.is_valid():
            return False
        note = note_form.cleaned_data["note"]
        services.standard_accept(actor=user, standard=standard, passed=action == "accept", note=note)
        messages.success(request, _("验收通过，待专家组认定") if action == "accept" else _("已退回开发单位"))
        return True
    if action == "panel_add":
        panel_form = forms_by_action["panel_add"]
        if not panel_form.is_valid():
            return False
        number = panel_form.cleaned_data["worker"].strip().upper()
        worker = Worker.objects.filter(id_number=number).first()
        if worker is None:
            raise DomainError(
                "unknown_worker", _("没有找到该劳动者"), {"worker": _("没有找到该身份证号码的劳动者")}
            )
        services.standard_panel_add(actor=user, standard=standard, worker=worker)
        messages.success(request, _("已加入认定专家组"))
        return True
    if action == "score":
        form = score_forms.get(int(member_id)) if member_id.isdigit() else None
        if form is None:
            raise DomainError("unknown_member", _("专家组成员不存在"))
        if not form.is_valid():
            return False
        member = standard.panel.get(pk=int(member_id))
        services.standard_panel_score(
            actor=user, member=member, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"]
        )
        messages.success(request, _("已记录%(w)s的评分") % {"w": member.worker.name})
        return True
    raise DomainError("unknown_action", _("未知操作"))


def standard_public(request: HttpRequest) -> HttpResponse:
    """Certified standards, for anyone (no sign-in)."""
    page = Paginator(selectors.certified(), 50).get_page(request.GET.get("page"))
    return render(request, "platforms/standards/public.html", {"page": page})


urlpatterns: list[URLPattern] = [
    path("standards/", standard_list, name="standard_list"),
    path("standards/new/", standard_file, name="standard_file"),
    path("standards/<int:pk>/", standard_detail, name="standard_detail"),
    path("public/standards/", standard_public, name="standard_public"),
]
