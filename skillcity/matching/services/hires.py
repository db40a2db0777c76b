"""Hires (issue 19 §4): recorded from an accepted match or at a job fair, and confirmed by the
employment records when the contributions start.

A hire is 已确认 when the ledger (skillcity.employment.selectors.current) shows the worker insured by
that enterprise — by its 统一社会信用代码 — in the start month or within the CONFIRM_WINDOW months
after. Until the window has closed and one more month has passed (the ledger receives a month's
records in the month after: the social-insurance feed, docs/employment.md) it is 待确认; then 未确认,
with why: no record at all in the window, only another employer's, or this employer's starting late.
`hires_confirm` runs daily (registrations.py) and after each import or pull of contribution records.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.employment.selectors import current, month_index, month_of
from skillcity.matching.models import Hire, JobFair, JobNeed, Match
from skillcity.registry.models import Organisation, Worker

CONFIRM_WINDOW = 3  # months after the start month (D-entry in docs/decisions.md)
LEDGER_LAG = 1  # months the ledger's records arrive after the month they are for
START_MIN = datetime.date(2000, 1, 1)


def start_month_of(raw: Any) -> datetime.date:
    """The start month as typed (2026-03, 2026/3, 2026年3月), through the platform's one month parser;
    an error on `start_month` naming its label. Its bounds are the hire's (_check_start)."""
    from skillcity.employment.services import parse_month

    try:
        return parse_month(raw, future=True)
    except ValueError as exc:
        message = _("“入职月份”：%(why)s") % {"why": exc}
        raise DomainError("invalid", message, {"start_month": message}) from None


def window_end(start_month: datetime.date) -> datetime.date:
    return month_of(month_index(start_month) + CONFIRM_WINDOW)


def _check_start(
    start_month: datetime.date, *, earliest: datetime.date | None = None, latest: datetime.date | None = None
) -> datetime.date:
    """The start month, within the platform's bounds and, when given, the hire's own: a match's from the
    month the worker accepted, a fair's from the month before it to six months after it."""
    month = start_month.replace(day=1)
    today = timezone.localdate()
    low = max(START_MIN, earliest.replace(day=1)) if earliest else START_MIN
    high = month_of(month_index(today) + 12)
    if latest is not None:
        high = min(high, latest.replace(day=1))
    if not low <= month <= high:
        message = _("入职月份应在%(earliest)s至%(latest)s之间") % {
            "earliest": f"{low:%Y-%m}",
            "latest": f"{high:%Y-%m}",
        }
        raise DomainError("invalid", message, {"start_month": message})
    return month


def _create(
    *,
    actor: Any,
    enterprise: Organisation,
    worker: Worker,
    start_month: datetime.date,
    source: str,
    need: JobNeed | None = None,
    match: Match | None = None,
    fair: JobFair | None = None,
) -> Hire:
    try:
        with transaction.atomic():
            hire = Hire.objects.create(
                enterprise=enterprise,
                worker=worker,
                need=need,
                match=match,
                fair=fair,
                source=source,
                start_month=start_month,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise DomainError(
            "duplicate",
            _("该劳动者在该月份入职本单位的录用已登记"),
            {"start_month": _("该劳动者在该月份入职本单位的录用已登记")},
            status=409,
        ) from None
    audit_record(
        actor=actor,
        action="matching.hire.record",
        target=hire,
        after={"source": source, "start_month": f"{start_month:%Y-%m}", "worker": worker.pk},
    )
    _confirm([hire], today=timezone.localdate(), actor=actor)
    return hire


@transaction.atomic
def hire_record_from_match(*, actor: Any, match: Match, start_month: datetime.date) -> Hire:
    """The enterprise records that it took on a worker who accepted its match."""
    match = Match.objects.select_for_update().select_related("need__enterprise", "worker").get(pk=match.pk)
    # Lock the need before counting its hires: two hires at once must not both pass its head count.
    need = JobNeed.objects.select_for_update().get(pk=match.need_id)
    if actor.role != "organisation_user" or actor.organisation_id != match.need.enterprise_id:
        raise PermissionDenied(_("只有发布该需求的企业可以登记录用"))
    if match.state != Match.State.ACCEPTED:
        raise DomainError(
            "not_accepted",
            _("求职者接受匹配后才能登记录用（当前：%(s)s）") % {"s": match.get_state_display()},
            status=409,
        )
    accepted = timezone.localdate(match.responded_at) if match.responded_at else None
    month = _check_start(start_month, earliest=accepted)
    hire = _create(
        actor=actor,
        enterprise=match.need.enterprise,
        worker=match.worker,
        start_month=month,
        source=Hire.Source.MATCH,
        need=match.need,
        match=match,
        fair=match.need.fair,
    )
    match.state = Match.State.HIRED
    match.save(update_fields=["state"])
    audit_record(
        actor=actor,
        action="matching.match.hire",
        target=match,
        before={"state": Match.State.ACCEPTED},
        after={"state": Match.State.HIRED},
    )
    hired = Hire.objects.filter(need=need).count()
    if need.state == JobNeed.State.OPEN and hired >= need.head_count:
        need.state = JobNeed.State.FILLED
        need.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="matching.need.state",
            target=need,
            before={"state": JobNeed.State.OPEN},
            after={"state": JobNeed.State.FILLED, "why": "head_count_reached"},
        )
    return hire


@transaction.atomic
def hire_record_at_fair(
    *,
    actor: Any,
    fair: JobFair,
    enterprise: Organisation,
    id_number: str,
    start_month: datetime.date,
    need: JobNeed | None = None,
) -> Hire:
    """A hire made at a job fair: by the enterprise itself, or by an officer of the fair's town (or
    the bureau) for an enterprise taking part. The worker is found by their resident ID number."""
    role = actor.role
    if role == "organisation_user":
        if actor.organisation_id != enterprise.pk:
            raise PermissionDenied(_("只能登记本单位的录用"))
    elif not (role == "bureau_officer" or (role == "town_officer" and actor.town_id == fair.town_id)):
        raise PermissionDenied(_("您无权登记该招聘会的录用"))
    if not fair.enterprises.filter(enterprise=enterprise).exists():
        raise DomainError("invalid", _("该企业未参加本招聘会"), {"enterprise": _("该企业未参加本招聘会")})
    worker = Worker.objects.filter(id_number=id_number.strip().upper()).first()
    if worker is None:
        # One neutral message: an ID number typed at a fair must not tell who is registered.
        raise DomainError("invalid", _("未找到或不在您的范围内"), {"id_number": _("未找到或不在您的范围内")})
    if need is not None and (need.enterprise_id != enterprise.pk or need.fair_id != fair.pk):
        raise DomainError(
            "invalid", _("该岗位不是本企业在本招聘会的岗位"), {"need": _("该岗位不是本企业在本招聘会的岗位")}
        )
    return _create(
        actor=actor,
        enterprise=enterprise,
        worker=worker,
        start_month=_check_start(
            start_month,
            earliest=month_of(month_index(fair.starts_on) - 1),
            latest=month_of(month_index(fair.ends_on) + 6),
        ),
        source=Hire.Source.FAIR,
        need=need,
        fair=fair,
    )


def hires_confirm(*, today: datetime.date | None = None, actor: Any = None) -> dict[str, int]:
    """Check every hire not yet confirmed against the employment ledger (the periodic job, and after
    each import or pull of contribution records). Returns the counts by outcome."""
    today = today or timezone.localdate()
    done = {"confirmed": 0, "unconfirmed": 0, "pending": 0}
    ids = list(Hire.objects.exclude(state=Hire.State.CONFIRMED).order_by("id").values_list("id", flat=True))
    for i in range(0, len(ids), 1000):
        with transaction.atomic():
            hires = list(
                Hire.objects.select_for_update(of=("self",))
                .filter(pk__in=ids[i : i + 1000])
                .exclude(state=Hire.State.CONFIRMED)
                .select_related("enterprise")
            )
            for key, n in _confirm(hires, today=today, actor=actor).items():
                done[key] += n
    return done


def _confirm(hires: list[Hire], *, today: datetime.date, actor: Any) -> dict[str, int]:
    """Decide each hire from the ledger (in the caller's transaction); write the changed ones."""
    done = {"confirmed": 0, "unconfirmed": 0, "pending": 0}
    if not hires:
        return done
    # From the month before the earliest start: a contribution then from the same enterprise means the
    # worker was already its employee, and the hire is not a new job.
    first = month_of(month_index(min(h.start_month for h in hires)) - 1)
    rows: dict[int, list[tuple[str, datetime.date]]] = defaultdict(list)
    for worker_id, uscc, month in (
        current([h.worker_id for h in hires])
        .filter(month__gte=first)
        .values_list("worker_id", "employer_uscc", "month")
    ):
        rows[worker_id].append((uscc, month))
    now = timezone.now()
    for hire in hires:
        end = window_end(hire.start_month)
        mine = sorted(
            m for u, m in rows[hire.worker_id] if u == hire.enterprise.uscc and m >= hire.start_month
        )
        in_window = [m for m in mine if m <= end]
        before = {"state": hire.state, "why": hire.why}
        previous = month_of(month_index(hire.start_month) - 1)
        if any(u == hire.enterprise.uscc and m == previous for u, m in rows[hire.worker_id]):
            hire.state, hire.confirmed_month, hire.why, hire.late_month = (
                Hire.State.UNCONFIRMED,
                None,
                Hire.Why.ALREADY_EMPLOYED,
                None,
            )
        elif in_window:
            hire.state, hire.confirmed_month, hire.why, hire.late_month = (
                Hire.State.CONFIRMED,
                in_window[0],
                "",
                None,
            )
        elif month_index(today) > month_index(end) + LEDGER_LAG:
            others = [
                m
                for u, m in rows[hire.worker_id]
                if u != hire.enterprise.uscc and hire.start_month <= m <= end
            ]
            hire.state = Hire.State.UNCONFIRMED
            hire.late_month = mine[0] if mine else None
            hire.why = Hire.Why.LATE if mine else (Hire.Why.OTHER_EMPLOYER if others else Hire.Why.NO_RECORD)
        else:
            hire.state = Hire.State.PENDING
        done[hire.state] += 1
        hire.checked_at = now
        if before != {"state": hire.state, "why": hire.why}:
            hire.save(update_fields=["state", "confirmed_month", "why", "late_month", "checked_at"])
            audit_record(
                actor=actor or "system",
                action="matching.hire.check",
                target=hire,
                before=before,
                after={
                    "state": hire.state,
                    "why": hire.why,
                    "confirmed_month": f"{hire.confirmed_month:%Y-%m}" if hire.confirmed_month else None,
                },
            )
        else:
            hire.save(update_fields=["checked_at"])
    return done


def hire_why(hire: Hire) -> str:
    """Why a hire is unconfirmed, in words (the late month named), or why it still waits."""
    if hire.state == Hire.State.UNCONFIRMED:
        if hire.why == Hire.Why.LATE and hire.late_month:
            return _("该单位的社保缴费从%(month)s才开始，晚于确认期（入职月份或其后3个月内）") % {
                "month": f"{hire.late_month:%Y-%m}"
            }
        return str(hire.get_why_display())
    if hire.state == Hire.State.PENDING:
        return _("等待%(start)s至%(end)s由该单位参保缴费的记录") % {
            "start": f"{hire.start_month:%Y-%m}",
            "end": f"{window_end(hire.start_month):%Y-%m}",
        }
    return _("%(month)s起由该单位参保缴费") % {"month": f"{hire.confirmed_month:%Y-%m}"}
