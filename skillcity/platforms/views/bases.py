"""Pages of the school–enterprise bases: a school's bases and its application with its enterprise
partners; the bureau's review and recognition with T-BASES progress and the special fund; the public
list of recognised bases."""

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
from skillcity.platforms.models.bases import BASE_SCHOOL_CATEGORIES, BaseState
from skillcity.platforms.selectors import bases as selectors
from skillcity.platforms.services import bases as services
from skillcity.platforms.views.bases_forms import BaseApplyForm, BaseRecogniseForm, BaseReviewForm
from skillcity.registry.models import Organisation


def _user(request: HttpRequest) -> Any:
    user = acting_user(request)
    require_role(user, "bureau_officer", "organisation_user")
    return user


@login_required
def base_list(request: HttpRequest) -> HttpResponse:
    """The bureau: T-BASES progress, the special fund, every base by state. A school: its own bases."""
    user = _user(request)
    bureau = _role(user) == "bureau_officer"
    state = request.GET.get("state", "")
    if state not in BaseState.values:
        state = ""
    page = Paginator(selectors.bases_for(user, state), 50).get_page(request.GET.get("page"))
    context: dict[str, Any] = {"page": page, "state": state, "states": BaseState.choices, "bureau": bureau}
    if bureau:
        context["progress"] = selectors.progress()
        context["fund"] = services.fund_status()
    else:
        org = user.organisation
        context["can_apply"] = org is not None and org.category in BASE_SCHOOL_CATEGORIES
    return render(request, "platforms/bases/list.html", context)


@login_required
def base_apply(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    bureau = _role(user) == "bureau_officer"
    form = BaseApplyForm(request.POST or None, for_bureau=bureau)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if bureau:
                school = Organisation.objects.filter(uscc=data["school"].strip().upper()).first()
                if school is None:
                    raise DomainError(
                        "unknown_school",
                        _("没有找到该院校"),
                        {"school": _("没有找到该统一社会信用代码的单位")},
                    )
            else:
                school = user.organisation
            base = services.base_apply(
                actor=user,
                school=school,
                name=data["name"],
                field=data["field"],
                plan=data["plan"],
                partners=services.partners_from_uscc(data["partners"]),
            )
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
        else:
            messages.success(request, _("基地申报已提交，等待审核"))
            return redirect("platforms:base_detail", pk=base.pk)
    return render(request, "platforms/bases/apply.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def base_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One base; the bureau reviews (pass / refuse with a reason) and recognises it here."""
    user = _user(request)
    base = get_for(user, selectors.bases_for(user), pk)
    bureau = _role(user) == "bureau_officer"
    review_form = BaseReviewForm(request.POST if request.POST.get("action") in ("pass", "refuse") else None)
    recognise_form = BaseRecogniseForm(request.POST if request.POST.get("action") == "recognise" else None)
    status = 200
    if request.method == "POST" and bureau:
        action = request.POST.get("action", "")
        try:
            if action in ("pass", "refuse") and review_form.is_valid():
                services.base_review(
                    actor=user, base=base, passed=action == "pass", note=review_form.cleaned_data["note"]
                )
                messages.success(
                    request, _("已审核通过，列为立项建设单位") if action == "pass" else _("已记录审核未通过")
                )
                return redirect("platforms:base_detail", pk=base.pk)
            if action == "recognise" and recognise_form.is_valid():
                day = recognise_form.cleaned_data["recognised_on"]
                grant = services.base_recognise(actor=user, base=base, day=day)
                messages.success(
                    request, _("已认定；基地经费申请（编号 %(id)s）已提交补贴审核") % {"id": grant.pk}
                )
                return redirect("platforms:base_detail", pk=base.pk)
        except DomainError as exc:
            if action == "recognise":
                recognise_form.show_domain_error(exc)
                recognise_form.mark_invalid()
            else:
                review_form.show_domain_error(exc)
                review_form.mark_invalid()
        status = 400
    return render(
        request,
        "platforms/bases/detail.html",
        {
            "base": base,
            "partners": base.partners.select_related("enterprise"),
            "grant": services.grant_of(base),
            "bureau": bureau,
            "review_form": review_form,
            "recognise_form": recognise_form,
            "fund": services.fund_status() if bureau else None,
        },
        status=status,
    )


def base_public(request: HttpRequest) -> HttpResponse:
    """Recognised bases, for anyone (no sign-in)."""
    page = Paginator(selectors.public_bases(), 50).get_page(request.GET.get("page"))
    return render(request, "platforms/bases/public.html", {"page": page})


urlpatterns: list[URLPattern] = [
    path("bases/", base_list, name="base_list"),
    path("bases/apply/", base_apply, name="base_apply"),
    path("bases/<int:pk>/", base_detail, name="base_detail"),
    path("public/bases/", base_public, name="base_public"),
]
