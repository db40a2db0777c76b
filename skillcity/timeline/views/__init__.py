"""Pages of the timeline (issue 19 §5): the worker's own on the phone, an officer's view of a worker in
their scope (masked), and the training outcomes per provider and per project."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.access import acting_user, get_for, require_role
from skillcity.core.errors import DomainError
from skillcity.registry.models import Worker
from skillcity.timeline.selectors import timeline_for
from skillcity.timeline.selectors.outcomes import GROUPS, WINDOW_MONTHS, WINDOWS, training_outcomes
from skillcity.timeline.sources import SOURCES, TimelineEvent
from skillcity.timeline.views.outcomes_export import outcomes_xlsx

OFFICERS = ("bureau_officer", "town_officer")


def _chosen(request: HttpRequest) -> set[str] | None:
    chosen = {s for s in request.GET.getlist("source") if s in SOURCES}
    return chosen or None


def _page(request: HttpRequest, worker: Worker, *, own: bool) -> HttpResponse:
    chosen = _chosen(request)
    events: list[TimelineEvent] = timeline_for(worker.pk, sources=chosen)
    by_year: dict[int, list[dict[str, Any]]] = {}
    for event in events:
        by_year.setdefault(event.date.year, []).append(
            {
                "date": event.date,
                "source": SOURCES[event.source].label if event.source in SOURCES else "",
                "key": event.source,
                "title": event.title,
                "detail": event.detail,
                # An officer sees a personal detail (an amount paid to the worker) masked.
                "facts": [
                    (label, value if own or not event.personal else "***") for label, value in event.facts
                ],
            }
        )
    return render(
        request,
        "timeline/timeline.html",
        {
            "worker": worker,
            "own": own,
            "years": sorted(by_year.items(), reverse=True),
            "count": len(events),
            "sources": [(s.key, s.label, chosen is None or s.key in chosen) for s in SOURCES.values()],
            "filtered": chosen is not None,
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if user.worker is None:
        raise DomainError("not_a_worker", _("请以已实名关联劳动者登记的账号查看本人职业档案"), status=403)
    return _page(request, user.worker, own=True)


@login_required
def worker_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    return _page(request, get_for(user, Worker.objects.select_related("town"), pk), own=False)


def _int_choice(value: str | None, choices: tuple[int, ...], default: int) -> int:
    try:
        number = int(value or default)
    except ValueError:
        return default
    return number if number in choices else default


def outcome_query(request: HttpRequest) -> dict[str, Any]:
    """The outcomes' filters from the query string, each bounded to what is offered."""
    this_year = timezone.localdate().year
    years = tuple(range(this_year, this_year - 6, -1))
    group = request.GET.get("group") or "provider"
    return {
        "year": _int_choice(request.GET.get("year"), years, this_year - 1),
        "months": _int_choice(request.GET.get("months"), WINDOWS, WINDOW_MONTHS),
        "group": group if group in GROUPS else "provider",
        "years": years,
    }


@login_required
def outcomes(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    require_role(user, *OFFICERS)
    query = outcome_query(request)
    town_id = user.town_id if user.role == "town_officer" else None
    rows = training_outcomes(
        year=query["year"], months=query["months"], group=query["group"], town_id=town_id
    )
    if request.GET.get("format") == "xlsx":
        return outcomes_xlsx(rows, query)
    total = {
        "trainees": sum(r.trainees for r in rows),
        "certified": sum(r.certified for r in rows),
        "certified_known": sum(r.certified_known for r in rows),
        "employed": sum(r.employed for r in rows),
        "employed_known": sum(r.employed_known for r in rows),
        "newly_employed": sum(r.newly_employed for r in rows),
    }
    return render(
        request,
        "timeline/outcomes.html",
        {**query, "rows": rows[:200], "more": max(0, len(rows) - 200), "total": total, "windows": WINDOWS},
    )


urlpatterns: list[URLPattern] = [
    path("mine/", mine, name="mine"),
    path("workers/<int:pk>/", worker_timeline, name="worker"),
    path("outcomes/", outcomes, name="outcomes"),
]
