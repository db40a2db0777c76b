"""Home page, audit log and error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from skillcity.core.access import require_role, visible_to
from skillcity.core.audit_check import audit_verify_recorded, findings_from_record
from skillcity.core.models import AuditEvent
from skillcity.registry.models import Organisation, Worker
from skillcity.web.forms import AuditFilterForm


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    user = request.user
    if user.is_authenticated and getattr(user, "role", "") == "worker" and not user.is_superuser:
        context.update(worker_home(user))
    elif user.is_authenticated:
        workers = visible_to(user, Worker.objects.all())
        context["worker_count"] = workers.count()
        context["high_skilled_count"] = workers.filter(highest_level__lte=3).count()
        context["organisation_count"] = visible_to(user, Organisation.objects.all()).count()
        if user.is_bureau or user.is_superuser:
            context["by_town"] = list(
                Worker.objects.values("town__name").annotate(n=Count("id")).order_by("-n")[:10]
            )
        if user.is_bureau:
            from skillcity.policy.lifecycle.expiry import current_warnings

            # Found by the daily job (policy.expiry_warnings): documents and rules about to expire.
            context["policy_warnings"] = current_warnings(timezone.localdate())
    return render(request, "web/home.html", context)


def worker_home(user: Any) -> dict[str, Any]:
    """What a worker sees first: their applications and where each stands, vouchers about to
    expire, enrolments and certificates — each with a link to the page that has the rest."""
    import datetime

    from django.utils import timezone

    from skillcity.certification.selectors import certificate_list
    from skillcity.competitions.selectors.contests import judging_of
    from skillcity.grants.selectors import applications_for
    from skillcity.training import selectors as training
    from skillcity.training.models import VoucherState
    from skillcity.training.qr import voucher_cards

    today = timezone.localdate()
    soon = today + datetime.timedelta(days=settings.VOUCHER_EXPIRY_NOTICE_DAYS)
    from skillcity.notifications.messages import rule_title

    vouchers = training.vouchers_for(user)
    applications = list(applications_for(user).order_by("-id")[:10])
    for a in applications:
        a.rule_title = rule_title(a.rule_id)  # type: ignore[attr-defined]
    return {
        "is_worker_home": True,
        "applications": applications,
        "expiring": voucher_cards(
            vouchers.filter(state=VoucherState.ISSUED, valid_to__gte=today, valid_to__lte=soon).order_by(
                "valid_to", "id"
            )[:10]
        ),
        "usable_count": vouchers.filter(state=VoucherState.ISSUED, valid_to__gte=today).count(),
        "expiry_days": settings.VOUCHER_EXPIRY_NOTICE_DAYS,
        "enrolments": list(training.enrolments_for(user).order_by("-enrolled_on", "-id")[:10]),
        "certificates": list(certificate_list(user).order_by("-issued_on", "-id")[:10]),
        "judging_count": judging_of(user).count(),  # competitions: a judge's link to 我的评分
    }


def audit_log(request: HttpRequest) -> HttpResponse:
    require_role(request.user, "bureau_officer")
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.order_by("-seq")
    if form.is_bound:
        events = form.apply(events) if form.is_valid() else events.none()
    page = Paginator(events, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/audit_log.html",
        {"page": page, "form": form, "verification": _verification(request.GET.get("verification", ""))},
    )


@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """The bureau checks the whole chain from the page; the check is itself an audit row."""
    require_role(request.user, "bureau_officer")
    _report, event_id = audit_verify_recorded(actor=request.user)
    return redirect(f"{reverse('web:audit_log')}?verification={event_id}")


def _verification(raw: str) -> dict[str, Any] | None:
    """A verification recorded by `audit_verify`, to show on the page."""
    if not raw.isdigit() or len(raw) > 18:
        return None
    event = AuditEvent.objects.filter(pk=int(raw), action="audit.verify").first()
    if event is None or not isinstance(event.after, dict):
        return None
    return {"event": event, "result": event.after, "findings": findings_from_record(event.after)}


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 403, "message": str(exception or "")}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 404, "message": ""}, status=404)
