"""What training led to (issue 19 §5): for each completed enrolment, a certificate in the project's
occupation and employment (an insured month) within N months of completion — read from the records
(certificates, social-insurance contributions), never typed.

Per provider and per project: trainees who completed in a year, how many were certified and how many
employed within the window, and the shares. A trainee whose window has not closed yet (completion +
N months is after today, or after the ledger's latest month for employment) is counted apart and left
out of the shares: an outcome not yet knowable is not a failure. Supervision and insights read
`training_outcomes`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from skillcity.employment.selectors import CHUNK, add_months, current, month_index, month_of

WINDOWS = (3, 6, 12)  # the windows offered, in months
WINDOW_MONTHS = 6  # the default


@dataclass(frozen=True)
class Completed:
    enrolment_id: int
    worker_id: int
    provider_id: int
    project_id: int
    occupation_id: int
    enrolled_on: datetime.date
    completed_on: datetime.date


@dataclass(frozen=True)
class Outcome:
    certified_on: datetime.date | None
    certificate: str  # occupation and level, as shown
    employed_month: datetime.date | None
    employer_name: str
    certified_known: bool  # the window for a certificate has closed (or one was found)
    employed_known: bool  # the window for employment has closed in the ledger (or a month was found)
    # Newly employed: insured in the window by an employer who did not insure them in the month before
    # enrolment — a job begun on or after the training, not one held through it.
    newly_employed_month: datetime.date | None = None
    new_employer_name: str = ""


def _ledger_end() -> datetime.date | None:
    from skillcity.employment.selectors import latest_month

    return latest_month()


def _certificates(worker_ids: list[int]) -> dict[int, list[tuple[int, datetime.date, str]]]:
    from skillcity.certification.models import Certificate

    found: dict[int, list[tuple[int, datetime.date, str]]] = defaultdict(list)
    for i in range(0, len(worker_ids), CHUNK):
        rows = (
            Certificate.objects.filter(
                worker_id__in=worker_ids[i : i + CHUNK], status=Certificate.Status.VALID
            )
            .order_by("issued_on", "id")
            .values_list("worker_id", "occupation_id", "issued_on", "occupation__name", "level")
        )
        for worker_id, occupation_id, issued_on, name, level in rows:
            from skillcity.registry.models import SkillLevel

            found[worker_id].append((occupation_id, issued_on, f"{name} {SkillLevel(level).label}"))
    return found


def _insured(
    worker_ids: list[int], first: datetime.date, last: datetime.date
) -> dict[int, list[tuple[datetime.date, str, str]]]:
    """Each worker's insured months from `first` to `last`: (month, employer name, employer USCC)."""
    found: dict[int, list[tuple[datetime.date, str, str]]] = defaultdict(list)
    for i in range(0, len(worker_ids), CHUNK):
        rows = (
            current(worker_ids[i : i + CHUNK])
            .filter(month__gte=first.replace(day=1), month__lte=last)
            .order_by("month", "id")
            .values_list("worker_id", "month", "employer_name", "employer_uscc")
        )
        for worker_id, month, name, uscc in rows:
            found[worker_id].append((month, name, uscc))
    return found


def outcomes_of(
    completed: Iterable[Completed], *, months: int = WINDOW_MONTHS, today: datetime.date | None = None
) -> dict[int, Outcome]:
    """Each completed enrolment's outcome within `months` of completion, by enrolment id."""
    completed = list(completed)
    if not completed:
        return {}
    today = today or timezone.localdate()
    ledger_end = _ledger_end()
    worker_ids = sorted({c.worker_id for c in completed})
    certificates = _certificates(worker_ids)
    # From the month before the earliest enrolment: who insured the trainee as the training began.
    first = month_of(month_index(min(c.enrolled_on for c in completed)) - 1)
    last = add_months(max(c.completed_on for c in completed), months)
    insured = _insured(worker_ids, first, last)
    out: dict[int, Outcome] = {}
    for c in completed:
        deadline = add_months(c.completed_on, months)
        cert = next(
            (
                (issued, label)
                for occupation, issued, label in certificates.get(c.worker_id, ())
                if occupation == c.occupation_id and c.enrolled_on <= issued <= deadline
            ),
            None,
        )
        start, end = month_index(c.completed_on), month_index(c.completed_on) + months
        months_insured = insured.get(c.worker_id, ())
        job = next(((m, name) for m, name, _u in months_insured if start <= month_index(m) <= end), None)
        before = month_index(c.enrolled_on) - 1
        held = {uscc for m, _n, uscc in months_insured if month_index(m) == before}
        new_job = next(
            (
                (m, name)
                for m, name, uscc in months_insured
                if start <= month_index(m) <= end and uscc not in held
            ),
            None,
        )
        out[c.enrolment_id] = Outcome(
            certified_on=cert[0] if cert else None,
            certificate=cert[1] if cert else "",
            employed_month=job[0] if job else None,
            employer_name=job[1] if job else "",
            certified_known=cert is not None or deadline < today,
            employed_known=job is not None or (ledger_end is not None and month_index(ledger_end) >= end),
            newly_employed_month=new_job[0] if new_job else None,
            new_employer_name=new_job[1] if new_job else "",
        )
    return out


def after_training(worker_id: int, enrolments: Iterable[Any]) -> dict[int, tuple[str | None, str | None]]:
    """For the worker's timeline: each completed enrolment's certificate and first insured month within
    the default window, as text (None when the records hold neither)."""
    completed = [
        Completed(
            e.pk,
            worker_id,
            e.provider_id,
            e.training_class.project_id,
            e.training_class.project.occupation_id,
            e.enrolled_on,
            e.completed_on,
        )
        for e in enrolments
        if e.completed_on is not None
    ]
    found = outcomes_of(completed)
    return {
        pk: (
            f"{o.certified_on:%Y-%m-%d} {o.certificate}" if o.certified_on else None,
            f"{o.employed_month:%Y-%m} {o.employer_name}" if o.employed_month else None,
        )
        for pk, o in found.items()
    }


@dataclass
class OutcomeRow:
    """One provider's (or project's) trainees of a year and what their training led to."""

    key: int
    name: str
    provider_name: str = ""
    trainees: int = 0
    certified: int = 0
    certified_known: int = 0
    employed: int = 0
    employed_known: int = 0
    newly_employed: int = 0  # employed by an employer who did not insure them the month before enrolment
    enrolment_ids: list[int] = field(default_factory=list, repr=False)

    @property
    def certified_share(self) -> Decimal | None:
        return _share(self.certified, self.certified_known)

    @property
    def employed_share(self) -> Decimal | None:
        return _share(self.employed, self.employed_known)

    @property
    def newly_employed_share(self) -> Decimal | None:
        return _share(self.newly_employed, self.employed_known)

    @property
    def pending(self) -> int:
        return self.trainees - min(self.certified_known, self.employed_known)


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001")) if whole else None


GROUPS = ("provider", "project")


def training_outcomes(
    *,
    year: int,
    months: int = WINDOW_MONTHS,
    group: str = "provider",
    town_id: int | None = None,
    provider_id: int | None = None,
    today: datetime.date | None = None,
) -> list[OutcomeRow]:
    """Per provider (or project): trainees who completed in `year` (in a town, or of one provider) and
    how many were certified and employed within `months`; most trainees first."""
    from skillcity.training.models import Enrolment

    enrolments = Enrolment.objects.filter(status=Enrolment.Status.COMPLETED, completed_on__year=year)
    if town_id is not None:
        enrolments = enrolments.filter(town_id=town_id)
    if provider_id is not None:
        enrolments = enrolments.filter(provider_id=provider_id)
    values = enrolments.values_list(
        "id",
        "worker_id",
        "provider_id",
        "training_class__project_id",
        "training_class__project__occupation_id",
        "enrolled_on",
        "completed_on",
        "provider__name",
        "training_class__project__name",
    )
    completed: list[Completed] = []
    rows: dict[int, OutcomeRow] = {}
    for pk, worker, provider, project, occupation, enrolled, done, provider_name, project_name in values:
        assert done is not None  # filtered on its year
        completed.append(Completed(pk, worker, provider, project, occupation, enrolled, done))
        key = provider if group == "provider" else project
        row = rows.get(key)
        if row is None:
            row = rows[key] = OutcomeRow(
                key=key,
                name=provider_name if group == "provider" else project_name,
                provider_name=provider_name,
            )
        row.trainees += 1
        row.enrolment_ids.append(pk)
    found = outcomes_of(completed, months=months, today=today)
    for row in rows.values():
        for pk in row.enrolment_ids:
            o = found[pk]
            row.certified_known += o.certified_known
            row.certified += o.certified_on is not None
            row.employed_known += o.employed_known
            row.employed += o.employed_month is not None
            row.newly_employed += o.newly_employed_month is not None
    return sorted(rows.values(), key=lambda r: (-r.trainees, r.name, r.key))
