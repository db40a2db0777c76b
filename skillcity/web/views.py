"""Home page, audit log and error pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skillcity.core.access import require_role, visible_to
from skillcity.core.models import AuditEvent
from skillcity.registry.models import Organisation, Worker


def home(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    user = request.user
    if user.is_authenticated:
        workers = visible_to(user, Worker.objects.all())
        context["worker_count"] = workers.count()
        context["high_skilled_count"] = workers.filter(highest_level__lte=3).count()
        context["organisation_count"] = visible_to(user, Organisation.objects.all()).count()
        if user.is_bureau or user.is_superuser:
            context["by_town"] = list(
                Worker.objects.values("town__name").annotate(n=Count("id")).order_by("-n")[:10]
            )
    return render(request, "web/home.html", context)


def audit_log(request: HttpRequest) -> HttpResponse:
    require_role(request.user, "bureau_officer")
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/audit_log.html", {"page": page, "action": action})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 403, "message": str(exception or "")}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 404, "message": ""}, status=404)
