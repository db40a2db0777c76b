"""Reads of apprenticeship: who sees which apprentices, their status from the records, the statistics.

Scope (§6): the bureau sees every apprenticeship; a town officer those of the enterprises in their
town; an organisation user those of their enterprise and those their school or training institution
trains; a worker their own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils import timezone

from skillcity.apprenticeship.models import BASELINE, Apprenticeship, DualClass, Status
from skillcity.core.access import _role
from skillcity.core.errors import NotFound
from skillcity.registry.models import OrganisationCategory, Worker


def not_found_message() -> str:
    """The one answer for an ID number not registered, a name that does not match it, or a worker who
    is not the enterprise's: none of them may tell who is registered (or where they work)."""
    from django.utils.translation import gettext

    return gettext("未找到或不在您的范围内")


def mentor_not_employee() -> str:
    """The one answer for an enterprise mentor's ID number not registered or not the enterprise's
    employee: it must not reveal the person's name or where they work."""
    from django.utils.translation import gettext

    return gettext("该身份证号码不是本企业登记职工")


def worker_by_id(id_number: str, name: str | None = None) -> tuple[Worker | None, str]:
    """The registered worker by resident ID number (and the name as a guard), or the neutral why not."""
    worker = Worker.objects.filter(id_number=(id_number or "").strip().upper()).first()
    if worker is None or (name is not None and worker.name != name.strip()):
        return None, not_found_message()
    return worker, ""


SCHOOL_CATEGORIES = (
    OrganisationCategory.TECHNICAL_SCHOOL,
    OrganisationCategory.VOCATIONAL_COLLEGE,
    OrganisationCategory.TRAINING_INSTITUTION,
)


def with_status(
    rows: QuerySet[Apprenticeship], today: datetime.date | None = None
) -> QuerySet[Apprenticeship]:
    """Each apprenticeship's status, read from its records: a valid certificate from its assessment
    session makes it certified (even after leaving: the training was completed); then leaving; then the
    assessment's result; then the contract's end."""
    today = today or timezone.localdate()
    return rows.annotate(
        status=Case(
            When(candidate__certificate__status="valid", then=Value(Status.CERTIFIED.value)),
            When(left_on__isnull=False, then=Value(Status.LEFT.value)),
            When(candidate__result="failed", then=Value(Status.FAILED.value)),
            When(candidate__result="passed", then=Value(Status.PASSED.value)),
            When(candidate__isnull=False, then=Value(Status.ASSESSING.value)),
            When(contract_end__lt=today, then=Value(Status.DUE.value)),
            default=Value(Status.TRAINING.value),
            output_field=CharField(),
        )
    )


def status_label(code: str) -> str:
    return str(Status(code).label) if code in Status.values else ""


def _scope(
    user: Any, rows: QuerySet[Any], *, enterprise: str, school: str, worker: str | None
) -> QuerySet[Any]:
    role = _role(user)
    if role == "bureau_officer":
        return rows
    if role == "town_officer" and user.town_id:
        return rows.filter(**{f"{enterprise}__town_id": user.town_id})
    if role == "organisation_user" and user.organisation_id:
        return rows.filter(
            Q(**{f"{enterprise}_id": user.organisation_id}) | Q(**{f"{school}_id": user.organisation_id})
        )
    if role == "worker" and worker and user.worker_id:
        return rows.filter(**{f"{worker}_id": user.worker_id})
    return rows.none()


def apprenticeships_for(user: Any) -> QuerySet[Apprenticeship]:
    """The apprenticeships `user` may see, with their status and what a list shows."""
    rows = Apprenticeship.objects.select_related(
        "worker", "enterprise__town", "school", "occupation", "enterprise_mentor", "dual_class"
    )
    return with_status(_scope(user, rows, enterprise="enterprise", school="school", worker="worker"))


def classes_for(user: Any) -> QuerySet[DualClass]:
    rows = DualClass.objects.select_related("school", "enterprise__town", "occupation", "enterprise_mentor")
    return _scope(user, rows, enterprise="enterprise", school="school", worker=None).annotate(
        students=Count("apprenticeships", filter=Q(apprenticeships__left_on__isnull=True))
    )


def apprenticeship_get(user: Any, pk: Any) -> Apprenticeship:
    try:
        return (
            apprenticeships_for(user)
            .select_related(
                "candidate__session__evaluator__organisation", "candidate__certificate", "created_by"
            )
            .get(pk=pk)
        )
    except (Apprenticeship.DoesNotExist, ValueError, TypeError):
        raise NotFound(_not_found()) from None


def class_get(user: Any, pk: Any) -> DualClass:
    try:
        return classes_for(user).get(pk=pk)
    except (DualClass.DoesNotExist, ValueError, TypeError):
        raise NotFound(_not_found()) from None


def _not_found() -> Any:
    from django.utils.translation import gettext_lazy as _

    return _("记录不存在或您无权查看")


def search(rows: QuerySet[Apprenticeship], *, q: str = "", status: str = "") -> QuerySet[Apprenticeship]:
    q = q.strip()[:50]
    if q:
        rows = rows.filter(
            Q(worker__name__icontains=q) | Q(enterprise__name__icontains=q) | Q(school__name__icontains=q)
        )
    if status in Status.values:
        rows = rows.filter(status=status)  # type: ignore[misc]  # the annotation
    return rows


@dataclass(frozen=True)
class RosterLine:
    """A 校企双制 class student against the enterprise's roster (the registry's employer)."""

    apprenticeship: Apprenticeship
    employed: bool  # the registry says the student works at the class's enterprise


def class_roster(dual_class: DualClass) -> list[RosterLine]:
    rows = with_status(
        dual_class.apprenticeships.filter(left_on__isnull=True).select_related("worker", "worker__employer")
    ).order_by("worker__name", "id")
    return [RosterLine(a, a.worker.employer_id == dual_class.enterprise_id) for a in rows]


def class_drift(dual_class: DualClass) -> list[RosterLine]:
    """The rosters out of step: students of the class whom the registry no longer shows as the
    enterprise's employees (a change made elsewhere, e.g. the worker's record edited)."""
    return [line for line in class_roster(dual_class) if not line.employed]


def mentor_level(worker: Worker) -> int | None:
    """The mentor's best skill level, from the registry (kept in step with their certificates)."""
    return worker.highest_level


@dataclass
class Statistics:
    total: int
    baseline: int
    by_status: list[tuple[str, int]]
    by_town: list[tuple[str, int]]
    by_enterprise: list[tuple[str, int]]
    by_occupation: list[tuple[str, str, int]]
    classes: int
    class_students: int

    @property
    def percent(self) -> str:
        return f"{self.total * 100 / self.baseline:.1f}" if self.baseline else "0"


def statistics(today: datetime.date | None = None) -> Statistics:
    """The bureau's counts toward D003's 19,936: apprentices by status, town, enterprise, occupation and level."""
    from skillcity.registry.models import SkillLevel

    rows = Apprenticeship.objects.all()
    total = rows.count()
    statuses = dict(
        with_status(rows, today)  # type: ignore[misc]  # grouped by the annotation
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    by_status = [(str(s.label), statuses.get(s.value, 0)) for s in Status]
    by_town = [
        (name or "", n)
        for name, n in rows.order_by()
        .values_list("enterprise__town__name")
        .annotate(n=Count("id"))
        .order_by("-n", "enterprise__town__name")
        .values_list("enterprise__town__name", "n")
    ]
    by_enterprise = list(
        rows.order_by()
        .values_list("enterprise__name")
        .annotate(n=Count("id"))
        .order_by("-n", "enterprise__name")
        .values_list("enterprise__name", "n")[:20]
    )
    levels = dict(SkillLevel.choices)
    by_occupation = [
        (occupation, str(levels.get(level, "")), n)
        for occupation, level, n in rows.order_by()
        .values_list("occupation__name", "level")
        .annotate(n=Count("id"))
        .order_by("-n", "occupation__name", "level")
        .values_list("occupation__name", "level", "n")[:30]
    ]
    classes = DualClass.objects.count()
    class_students = rows.filter(dual_class__isnull=False, left_on__isnull=True).count()
    return Statistics(
        total=total,
        baseline=BASELINE,
        by_status=by_status,
        by_town=by_town,
        by_enterprise=by_enterprise,
        by_occupation=by_occupation,
        classes=classes,
        class_students=class_students,
    )
