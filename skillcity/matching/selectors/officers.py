"""Reads for employment service officers (D002 item 18): their assignments and the follow-ups due."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from skillcity.core.access import visible_to
from skillcity.matching.models import Assignment, FollowUp

# A subject without a follow-up, or whose next follow-up falls within this many days, is due.
DUE_WITHIN_DAYS = 7


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    last: FollowUp | None
    due_on: datetime.date | None  # the next follow-up's date (None: none recorded yet)
    due: bool


def _rows(assignments: list[Assignment], today: datetime.date) -> list[AssignmentRow]:
    rows = []
    for a in assignments:
        follow_ups = list(a.follow_ups.all())  # prefetched, newest first
        last = follow_ups[0] if follow_ups else None
        due_on = last.next_date if last else None
        due = last is None or (due_on is not None and due_on <= today + datetime.timedelta(DUE_WITHIN_DAYS))
        rows.append(AssignmentRow(a, last, due_on, due))
    return rows


def _assignments() -> QuerySet[Assignment]:
    return Assignment.objects.select_related("officer", "enterprise", "worker", "town").prefetch_related(
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("-date", "-id"))
    )


def officer_assignments(officer: Any, today: datetime.date) -> list[AssignmentRow]:
    """An officer's own assignments in service, the due ones first."""
    rows = _rows(list(_assignments().filter(officer=officer, active=True)), today)
    return sorted(rows, key=lambda r: (not r.due, r.due_on or datetime.date.min, r.assignment.pk))


def assignments_visible(user: Any, today: datetime.date, limit: int = 200) -> list[AssignmentRow]:
    """Every assignment in the user's scope (the bureau: the city; a town officer: the town)."""
    return _rows(list(visible_to(user, _assignments()).filter(active=True)[:limit]), today)


def assignment_for(user: Any, pk: Any) -> Assignment:
    from skillcity.core.access import get_for

    return get_for(user, _assignments(), pk)
