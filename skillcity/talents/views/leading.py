"""Leading-talent pages of the people outside the bureau: the worker's applications and payments (phone),
the unit's talents and rewards, the panel member's assignments and scoring sheet; and the application's
detail every party of it sees (the bureau's actions on it live in leading_bureau.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import acting_user, require_role, visible_to
from skillcity.core.errors import DomainError
from skillcity.grants import flows
from skillcity.talents.models.leading import LeadingApplication, LeadingCall, Recognition
from skillcity.talents.selectors import leading as selectors
from skillcity.talents.services import leading as services
from skillcity.talents.services import rent
from skillcity.talents.views import leading_bureau
from skillcity.talents.views.leading_forms import ApplyForm, HomePurchaseForm, RentForm, RewardForm, ScoreForm


def _open_calls() -> Any:
    day = timezone.localdate()
    return LeadingCall.objects.filter(opens_on__lte=day, closes_on__gte=day)


def _apply(request: HttpRequest, user: Any, unit: Any) -> tuple[ApplyForm, LeadingApplication | None]:
    form = ApplyForm(request.POST or None, calls=_open_calls(), unit=unit)
    if request.method != "POST" or not form.is_valid():
        return form, None
    data = form.cleaned_data
    try:
        app = services.application_submit(
            actor=user,
            call=data["call"],
            grounds=data["grounds"],
            worker=data.get("worker"),
            introduced_on=data.get("introduced_on"),
            uploads=request.FILES.getlist("evidence"),
        )
    except DomainError as exc:
        form.show_domain_error(exc)
        form.mark_invalid()
        return form, None
    return form, app


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The worker's own: applications, the subsidies paid or under way, and the apply form."""
    user = acting_user(request)
    require_role(user, "worker")
    form, app = _apply(request, user, None)
    if app is not None:
        messages.success(request, _("申报已提交，等待形式审查"))
        return redirect("talents:leading_detail", pk=app.pk)
    return render(
        request,
        "talents/leading/mine.html",
        {
            "form": form,
            "applications": selectors.applications_for(user),
            "subsidies": selectors.labelled(selectors.subsidies_for_worker(user.worker_id or 0)[:100]),
            "schedules": selectors.schedules(user),
            "assignments": selectors.assignments_for(user.worker_id)[:50] if user.worker_id else [],
            "open_calls": _open_calls(),
        },
    )


@login_required
def unit(request: HttpRequest) -> HttpResponse:
    """The unit's talents (its applications and recognitions) and its rewards."""
    user = acting_user(request)
    require_role(user, "organisation_user")
    form, app = _apply(request, user, user.organisation)
    if app is not None:
        messages.success(request, _("已为%(w)s提交申报") % {"w": app.worker.name})
        return redirect("talents:leading_detail", pk=app.pk)
    return render(
        request,
        "talents/leading/unit.html",
        {
            "form": form,
            "applications": selectors.applications_for(user),
            "rewards": selectors.labelled(selectors.rewards_for_unit(user.organisation_id or 0)[:100]),
            "open_calls": _open_calls(),
        },
    )


def _visible_application(user: Any, pk: int) -> LeadingApplication:
    app = selectors.applications_for(user).filter(pk=pk).first()
    if app is None and getattr(user, "worker_id", None):
        # A panel member sees what they were assigned.
        app = LeadingApplication.objects.filter(pk=pk, assignments__member__worker_id=user.worker_id).first()
    if app is None:
        raise Http404
    return app


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    app = _visible_application(user, pk)
    is_bureau = flows.user_has_stage_role(user, "bureau_officer")
    recognition = Recognition.objects.filter(application=app).first()
    forms: dict[str, Any] = {}
    if recognition is not None:
        standing = set(
            services.subsidy_applications(app)
            .exclude(state__in=("withdrawn", "rejected"))
            .values_list("source_key", flat=True)
        )
        if (user.worker_id == app.worker_id or is_bureau) and services.source_key(
            app, "home_purchase"
        ) not in standing:
            forms["home"] = HomePurchaseForm(prefix="home")
        if (
            app.introduced_on
            and (user.organisation_id == app.unit_id or is_bureau)
            and f"talents.employer:{app.pk}" not in standing
        ):
            forms["reward"] = RewardForm(prefix="reward")
        if (
            flows.user_has_stage_role(user, "finance")
            and not recognition.rent_schedules.exclude(state="ended").exists()
        ):
            forms["rent"] = RentForm(prefix="rent")
    if request.method == "POST" and recognition is not None:
        action = request.POST.get("action")
        form: Any
        try:
            if action == "home" and "home" in forms:
                form = forms["home"] = HomePurchaseForm(request.POST, request.FILES, prefix="home")
                if form.is_valid():
                    grant = services.home_purchase_claim(
                        actor=user,
                        recognition=recognition,
                        requested=form.cleaned_data["requested"],
                        proof=form.cleaned_data["proof"],
                    )
                    messages.success(
                        request, _("购房补贴申请已提交审核（补贴申请第%(n)s号）") % {"n": grant.pk}
                    )
                    return redirect("talents:leading_detail", pk=app.pk)
            elif action == "reward" and "reward" in forms:
                form = forms["reward"] = RewardForm(request.POST, prefix="reward")
                if form.is_valid():
                    grant = services.employer_reward_claim(
                        actor=user, recognition=recognition, requested=form.cleaned_data["requested"]
                    )
                    messages.success(
                        request, _("引才奖励申请已提交审核（补贴申请第%(n)s号）") % {"n": grant.pk}
                    )
                    return redirect("talents:leading_detail", pk=app.pk)
            elif action == "rent" and "rent" in forms:
                form = forms["rent"] = RentForm(request.POST, prefix="rent")
                if form.is_valid():
                    rent.schedule_create(
                        actor=user,
                        recognition=recognition,
                        monthly_amount=form.cleaned_data["monthly_amount"],
                        first_month=form.cleaned_data["first_month"],
                        months=form.cleaned_data["months"],
                    )
                    messages.success(request, _("租房补贴按月发放计划已设立"))
                    return redirect("talents:leading_detail", pk=app.pk)
        except DomainError as exc:
            forms[action or ""].show_domain_error(exc)  # type: ignore[index]
            forms[action or ""].mark_invalid()
    scores = []
    if is_bureau:
        for a in app.assignments.select_related("member__worker").prefetch_related("scores"):
            by_code = {s.criterion: s.points for s in a.scores.all()}
            scores.append(
                {
                    "assignment": a,
                    "member": a.member,
                    "submitted": a.submitted_at,
                    "points": [by_code.get(c["code"]) for c in app.call.criteria],
                    "points_total": sum(by_code.values()) if by_code else None,
                }
            )
    return render(
        request,
        "talents/leading/detail.html",
        {
            "app": app,
            "recognition": recognition,
            "is_bureau": is_bureau,
            "scores": scores,
            # expert + criteria + total (+ the action column while in panel), for the empty row's colspan
            "score_columns": len(app.call.criteria) + 2 + (1 if app.state == "in_panel" else 0),
            "average": services.average_score(app) if is_bureau else None,
            "subsidies": selectors.labelled(services.subsidy_applications(app).select_related("payment")),
            "schedules": app.recognition.rent_schedules.all() if recognition else [],
            "forms": forms,
            "members": app.call.panel.select_related("worker__employer") if is_bureau else [],
        },
    )


@login_required
def panel(request: HttpRequest) -> HttpResponse:
    """The panel member's assigned applications (phone friendly)."""
    user = acting_user(request)
    require_role(user, "worker")
    return render(
        request, "talents/leading/panel.html", {"assignments": selectors.assignments_for(user.worker_id or 0)}
    )


@login_required
def score_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "worker")
    try:
        assignment = selectors.assignments_for(user.worker_id or 0).get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    criteria = assignment.application.call.criteria
    form = ScoreForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            services.scores_submit(actor=user, assignment=assignment, points=form.cleaned_data)
        except DomainError as exc:
            form.show_domain_error(exc)
            form.mark_invalid()
        else:
            messages.success(request, _("评分表已提交"))
            return redirect("talents:leading_panel")
    given = {s.criterion: s.points for s in assignment.scores.all()}
    return render(
        request,
        "talents/leading/score.html",
        {
            "assignment": assignment,
            "app": assignment.application,
            "form": form,
            "given": [(c, given.get(c["code"])) for c in criteria],
            "total": sum(given.values()) if given else None,
        },
    )


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from skillcity.talents.leading_pdf import honour_pdf

    user = acting_user(request)
    recognition = (
        visible_to(user, Recognition.objects.select_related("worker", "application__call"))
        .filter(pk=pk)
        .first()
    )
    if recognition is None:
        raise Http404
    response = HttpResponse(honour_pdf(recognition), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{recognition.number}.pdf"'
    return response


urlpatterns = [
    path("leading/mine/", mine, name="leading_mine"),
    path("leading/unit/", unit, name="leading_unit"),
    path("leading/applications/<int:pk>/", detail, name="leading_detail"),
    path("leading/panel/", panel, name="leading_panel"),
    path("leading/panel/<int:pk>/", score_sheet, name="leading_score"),
    path("leading/recognitions/<int:pk>/certificate.pdf", certificate_pdf, name="leading_certificate"),
    *leading_bureau.urlpatterns,
]
