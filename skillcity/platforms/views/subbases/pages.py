"""Sub-base pages: the list (the organisation's own sub-base and its application; the bureau's register
with T-SUBBASES progress and the centre), a sub-base (decision, reports, evaluation), the year's course
purchase (quota and allocations, bureau), a course (its class and roster count, acceptance, the grant)
and the public list of recognised sub-bases."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.bounds import YEAR_MAX, YEAR_MIN
from skillcity.core.errors import DomainError
from skillcity.grants import flows
from skillcity.platforms.models.subbases import AllocationState, CourseAllocation, Subbase, SubbaseState
from skillcity.platforms.selectors import subbases as selectors
from skillcity.platforms.services import subbases as services
from skillcity.platforms.services.subbases.purchases import grants_for, source_key
from skillcity.platforms.views.subbases import forms as F
from skillcity.training.models import TrainingClass


def _is_bureau(user: Any) -> bool:
    return flows.user_has_stage_role(user, "bureau_officer")


def _labelled(grants: Any) -> list[tuple[Any, str]]:
    return [(g, flows.source_label(g.source_key)) for g in grants]


def _post(form: Any, action: Any) -> Any:
    """Run `action()` for a valid bound form; a refusal goes next to the form's fields."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except DomainError as exc:
        form.show_domain_error(exc)
        form.mark_invalid()
        return None


@login_required
def subbase_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, "bureau_officer", "organisation_user")
    if _is_bureau(user):
        return _bureau_list(request, user)
    subbases = list(selectors.subbases_for(user))
    standing = any(s.state in (SubbaseState.APPLIED, SubbaseState.RECOGNISED) for s in subbases)
    form = F.ApplyForm(request.POST or None) if not standing else None
    if request.method == "POST" and form is not None:
        made = _post(
            form, lambda d: services.subbase_apply(actor=user, name=d["name"], direction=d["direction"])
        )
        if made is not None:
            messages.success(request, _("分基地认定申请已提交，等待市人社局认定"))
            return redirect("platforms:subbase_detail", pk=made.pk)
    return render(
        request,
        "platforms/subbases/mine.html",
        {
            "subbases": subbases,
            "form": form,
            "allocations": selectors.allocations_for(user)[:200],
            "grants": _labelled(selectors.grants_for_organisation(user.organisation_id or 0)[:100]),
        },
    )


def _bureau_list(request: HttpRequest, user: Any) -> HttpResponse:
    centre = selectors.centre()
    initial = (
        {"organisation": centre.organisation_id, "yearly_certifications": centre.yearly_certifications}
        if centre
        else None
    )
    form = F.CentreForm(request.POST or None, initial=initial)
    if request.method == "POST":
        done = _post(
            form,
            lambda d: services.centre_set(
                actor=user, organisation=d["organisation"], yearly_certifications=d["yearly_certifications"]
            ),
        )
        if done is not None:
            messages.success(request, _("公共实训中心已设定"))
            return redirect("platforms:subbase_list")
    state = request.GET.get("state", "")
    rows = selectors.subbases_for(user)
    if state in SubbaseState.values:
        rows = rows.filter(state=state)
    return render(
        request,
        "platforms/subbases/bureau.html",
        {
            "progress": selectors.progress(),
            "subbases": rows[:500],
            "states": SubbaseState.choices,
            "state": state,
            "centre_form": form,
            "year": timezone.localdate().year,
        },
    )


@login_required
def subbase_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    subbase = get_for(user, Subbase.objects.select_related("organisation__town"), pk)
    bureau = _is_bureau(user)
    own = user.role == "organisation_user" and user.organisation_id == subbase.organisation_id
    action = request.POST.get("action", "") if request.method == "POST" else ""
    decision = F.DecisionForm(request.POST if action == "decide" else None, prefix="decide")
    revoke = F.RevokeForm(request.POST if action == "revoke" else None, prefix="revoke")
    # Last year's report is the one due; once it is in, this year's comes next.
    last = timezone.localdate().year - 1
    due = last + 1 if subbase.reports.filter(year=last).exists() else last
    report = F.ReportForm(
        request.POST if action == "report" else None, prefix="report", initial={"year": due}
    )
    done: Any = None
    if action == "decide" and bureau:
        done = _post(decision, lambda d: _decide(user, subbase, d))
    elif action == "revoke" and bureau:
        done = _post(revoke, lambda d: services.subbase_revoke(actor=user, subbase=subbase, note=d["note"]))
    elif action == "report" and (own or bureau):
        done = _post(
            report,
            lambda d: services.report_submit(
                actor=user,
                subbase=subbase,
                year=d["year"],
                person_times=d["person_times"],
                new_courses=d["new_courses"],
            ),
        )
    elif action == "evaluate" and bureau:
        found = (
            subbase.reports.filter(pk=request.POST.get("report") or 0).first()
            if str(request.POST.get("report", "")).isdigit()
            else None
        )
        if found is not None:
            try:
                done = services.report_evaluate(actor=user, report=found)
            except DomainError as exc:
                messages.error(request, str(exc.message))
    if done is not None:
        messages.success(request, _("已保存"))
        return redirect("platforms:subbase_detail", pk=subbase.pk)
    return render(
        request,
        "platforms/subbases/detail.html",
        {
            "subbase": subbase,
            "is_bureau": bureau,
            "own": own,
            "decision": decision if bureau and subbase.state == SubbaseState.APPLIED else None,
            "revoke": revoke if bureau and subbase.state == SubbaseState.RECOGNISED else None,
            "report": report if (own or bureau) and subbase.state == SubbaseState.RECOGNISED else None,
            "reports": selectors.reports_for(subbase),
            "allocations": subbase.allocations.select_related("quota", "training_class").order_by(
                "-quota__year", "id"
            ),
            "grants": _labelled(selectors.grants_for_organisation(subbase.organisation_id)[:100]),
        },
    )


def _decide(user: Any, subbase: Subbase, data: dict[str, Any]) -> Any:
    if data["decision"] == "recognise":
        return services.subbase_recognise(
            actor=user, subbase=subbase, recognised_on=data.get("recognised_on"), note=data.get("note") or ""
        )
    return services.subbase_reject(actor=user, subbase=subbase, note=data.get("note") or "")


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and YEAR_MIN <= int(raw) <= YEAR_MAX:
        return int(raw)
    return timezone.localdate().year


@login_required
def purchases(request: HttpRequest) -> HttpResponse:
    """The bureau's yearly course purchase: the quota, the allocations and their acceptance."""
    user = acting_user(request)
    require_role(user, "bureau_officer")
    year = _year(request)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    quota_form = F.QuotaForm(
        request.POST if action == "quota" else None,
        prefix="quota",
        initial={"year": year, "places": selectors.DEFAULT_QUOTA},
    )
    allocation_form = F.AllocationForm(request.POST if action == "allocate" else None, prefix="allocate")
    done: Any = None
    if action == "quota":
        done = _post(quota_form, lambda d: services.quota_set(actor=user, year=d["year"], places=d["places"]))
    elif action == "allocate":
        done = _post(
            allocation_form,
            lambda d: services.allocation_create(
                actor=user,
                subbase=d["subbase"],
                year=year,
                places=d["places"],
                course_name=d["course_name"],
                category=d["category"],
                request_key=d.get("request_key", ""),
            ),
        )
    if done is not None:
        messages.success(request, _("已保存"))
        return redirect(f"{request.path}?year={getattr(done, 'year', year)}")
    return render(
        request,
        "platforms/subbases/purchases.html",
        {
            "year": year,
            "years": range(timezone.localdate().year + 1, 2021, -1),
            "quota": selectors.quota_view(year),
            "quota_form": quota_form,
            "allocation_form": allocation_form,
            "allocations": _with_grants(list(selectors.allocations_of_year(year))),
        },
    )


def _with_grants(allocations: list[CourseAllocation]) -> list[CourseAllocation]:
    found = selectors.grants_by_source([source_key(a) for a in allocations])
    for a in allocations:
        a.grant = found.get(source_key(a))  # type: ignore[attr-defined]
    return allocations


@login_required
def course(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    allocation = get_for(
        user,
        CourseAllocation.objects.select_related("subbase__organisation", "quota", "training_class__project"),
        pk,
    )
    bureau = _is_bureau(user)
    own = user.role == "organisation_user" and user.organisation_id == allocation.subbase.organisation_id
    classes = (
        TrainingClass.objects.filter(
            project__provider_id=allocation.subbase.organisation_id, subbase_allocation__isnull=True
        )
        .filter(Q(project__per_person_standard=0))
        .select_related("project")
        .order_by("-start_date")
    )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    open_form = F.ClassOpenForm(request.POST if action == "open" else None, prefix="open")
    link_form = F.ClassLinkForm(request.POST if action == "link" else None, prefix="link", classes=classes)
    accept_form = F.AcceptForm(request.POST if action == "accept" else None, prefix="accept")
    cancel_form = F.CancelForm(request.POST if action == "cancel" else None, prefix="cancel")
    done: Any = None
    if action == "open" and (own or bureau):
        done = _post(
            open_form,
            lambda d: services.allocation_class_open(
                actor=user,
                allocation=allocation,
                occupation=d["occupation"],
                start_date=d["start_date"],
                end_date=d["end_date"],
            ),
        )
    elif action == "link" and (own or bureau):
        done = _post(
            link_form,
            lambda d: services.allocation_class_link(
                actor=user, allocation=allocation, training_class=d["training_class"]
            ),
        )
    elif action == "accept" and bureau:
        done = _post(
            accept_form,
            lambda d: services.allocation_accept(
                actor=user,
                allocation=allocation,
                passed=d["result"] == "pass",
                note=d.get("note") or "",
                accepted_on=d.get("accepted_on"),
            ),
        )
    elif action == "cancel" and bureau:
        done = _post(
            cancel_form,
            lambda d: services.allocation_cancel(actor=user, allocation=allocation, reason=d["reason"]),
        )
    elif action == "grant" and (own or bureau):
        try:
            done = services.allocation_grant_apply(actor=user, allocation=allocation)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("课程购买费用申请已生成（补贴申请第%(n)s号），进入审核") % {"n": done.pk}
            )
            return redirect("platforms:subbase_course", pk=allocation.pk)
    if done is not None:
        messages.success(request, _("已保存"))
        return redirect("platforms:subbase_course", pk=allocation.pk)
    trainees, roster = services.trainees_from_roster(allocation)
    grants = list(grants_for(allocation))
    standing = [g for g in grants if g.state not in ("withdrawn", "rejected")]
    state = allocation.state
    can_claim = (own or bureau) and state == AllocationState.ACCEPTED and not standing
    claim_note = _claim_refusal(allocation) if can_claim else ""
    return render(
        request,
        "platforms/subbases/course.html",
        {
            "allocation": allocation,
            "is_bureau": bureau,
            "own": own,
            "trainees": trainees,
            "roster": roster,
            "enrolments": _roster_counts(allocation),
            "open_form": open_form if (own or bureau) and state == AllocationState.ALLOCATED else None,
            "link_form": link_form
            if (own or bureau) and state == AllocationState.ALLOCATED and classes.exists()
            else None,
            "accept_form": accept_form if bureau and state == AllocationState.RUNNING else None,
            "cancel_form": cancel_form
            if bureau and state in (AllocationState.ALLOCATED, AllocationState.RUNNING)
            else None,
            "can_claim": can_claim and not claim_note,
            "claim_note": claim_note,
            "grants": _labelled(grants),
            "source_key": source_key(allocation),
        },
    )


def _claim_refusal(allocation: CourseAllocation) -> str:
    """Why the rule would refuse the course now (no version in force on the acceptance date, no
    trainee), so the page says it instead of offering a button that fails."""
    from skillcity.grants import outcomes
    from skillcity.policy.display import reason_texts

    facts, _sources = services.course_facts(allocation)
    assert allocation.accepted_on is not None
    try:
        outcome = outcomes.evaluate("TRN-SUBBASE-COURSE", allocation.accepted_on, facts)
    except DomainError as exc:
        from skillcity.policy.in_force import refusal_text

        return refusal_text("TRN-SUBBASE-COURSE", allocation.accepted_on, exc)
    return "" if outcome.get("eligible") else "；".join(reason_texts(outcome))


def _roster_counts(allocation: CourseAllocation) -> list[tuple[str, int]]:
    """The class's enrolments by status, in words (the roster itself is the training app's page)."""
    from django.db.models import Count

    from skillcity.training.models import Enrolment

    if allocation.training_class_id is None:
        return []
    counts = dict(
        Enrolment.objects.filter(training_class_id=allocation.training_class_id)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [(str(label), counts.get(value, 0)) for value, label in Enrolment.Status.choices]


def public_list(request: HttpRequest) -> HttpResponse:
    """The recognised sub-bases, for everyone (no login)."""
    return render(request, "platforms/subbases/public.html", {"subbases": selectors.recognised()})
