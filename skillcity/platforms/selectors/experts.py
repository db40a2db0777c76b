"""Reads of the expert pool: the list (filterable by sector and name), coverage by sector, draws, and an
expert's own assignments."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from skillcity.core.access import require_role
from skillcity.core.errors import NotFound
from skillcity.platforms.models.experts import Expert, ExpertDraw, ExpertDrawMember, ExpertSector

BUREAU = "bureau_officer"
POOL_TARGET = 1141  # D003: the pool in 2023


def experts_for_list(*, sector: str = "", query: str = "") -> QuerySet[Expert]:
    experts = Expert.objects.filter(active=True).select_related("worker", "organisation")
    if sector:
        experts = experts.filter(sector=sector)
    if query:
        experts = experts.filter(Q(worker__name__icontains=query) | Q(organisation__name__icontains=query))
    return experts.prefetch_related("occupations").order_by("sector", "id")


def coverage() -> dict[str, Any]:
    """The pool's size and its experts per sector (every sector listed, zero included)."""
    counts = dict(
        Expert.objects.filter(active=True)
        .values_list("sector")
        .annotate(n=Count("id"))
        .values_list("sector", "n")
    )
    rows: list[dict[str, Any]] = [
        {"sector": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in ExpertSector.choices
    ]
    total = sum(r["count"] for r in rows)
    return {
        "total": total,
        "rows": rows,
        "sectors_covered": sum(1 for r in rows if r["count"]),
        "sectors": len(rows),
        "target": POOL_TARGET,
    }


def expert_for(user: Any, pk: Any) -> Expert:
    require_role(user, BUREAU)
    expert = (
        Expert.objects.select_related("worker", "organisation", "worker__employer")
        .prefetch_related("occupations", "conflicts")
        .filter(pk=pk)
        .first()
    )
    if expert is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return expert


def draws_for_list() -> QuerySet[ExpertDraw]:
    return (
        ExpertDraw.objects.select_related("drawn_by")
        .annotate(declined=Count("members", filter=Q(members__state=ExpertDrawMember.State.DECLINED)))
        .order_by("-id")
    )


def draw_for(user: Any, pk: Any) -> ExpertDraw:
    require_role(user, BUREAU)
    draw = ExpertDraw.objects.select_related("drawn_by").filter(pk=pk).first()
    if draw is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return draw


def draw_members(draw: ExpertDraw) -> QuerySet[ExpertDrawMember]:
    return draw.members.select_related(
        "expert__worker", "expert__organisation", "replaces__expert__worker", "replacement__expert__worker"
    ).order_by("position")


# A grant review's draw names its application so (platforms.services.experts.wiring writes it).
GRANT_KEY = "grants.application:"


def draws_for_application(application: Any) -> QuerySet[ExpertDraw]:
    """The draws made for one grant application, newest first, with their members in draw order."""
    return (
        ExpertDraw.objects.filter(subject_key=f"{GRANT_KEY}{application.pk}")
        .prefetch_related(Prefetch("members", queryset=draw_members_plain(), to_attr="member_list"))
        .order_by("-id")
    )


def draw_members_plain() -> QuerySet[ExpertDrawMember]:
    """Members with their names, in draw order (for a list of draws, prefetched)."""
    return ExpertDrawMember.objects.select_related("expert__worker").order_by("position")


def assignments_of(user: Any) -> QuerySet[ExpertDrawMember]:
    """An expert's own draws (empty for a user who is not an expert)."""
    worker_id = getattr(user, "worker_id", None)
    if worker_id is None:
        return ExpertDrawMember.objects.none()
    return (
        ExpertDrawMember.objects.filter(expert__worker_id=worker_id)
        .select_related("draw", "expert")
        .order_by("-draw__drawn_at", "-id")
    )


def assignment_of(user: Any, pk: Any) -> ExpertDrawMember:
    member = assignments_of(user).filter(pk=pk).first()
    if member is None:
        raise NotFound(_("记录不存在或您无权查看"))
    return member
