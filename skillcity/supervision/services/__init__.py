"""Running the checks (issue 20 §3): `supervise` runs the registered checks over the records — since the
last finished run (the nightly job), or in full (the page, the CLI) — and keeps their findings as
alerts, one per case.

- A case found again updates its alert (same check, same records); a case whose values changed is
  updated, and a dismissed one fires again (state back to 待处理, with an event saying why).
- A confirmed or dismissed alert whose records are unchanged is left alone.
- Each check's alerts are written in one transaction; the run is recorded with its checks and counts,
  and one audit row says what it did.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record
from skillcity.core.errors import DomainError
from skillcity.supervision.checks import CHECKS, Check, Context, Finding
from skillcity.supervision.models import Alert, AlertEvent, AlertState, Run

Progress = Callable[[Check, int, int], None]  # (check, index from 1, count)


def supervise(
    *,
    check_ids: Iterable[str] | None = None,
    full: bool = False,
    actor: Any = None,
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> Run:
    ids = list(check_ids or [])
    unknown = [c for c in ids if c not in CHECKS]
    if unknown:
        message = _("未知的核查规则：%(ids)s") % {"ids": "、".join(unknown)}
        raise DomainError("unknown_check", message, {"check": message})
    checks = [CHECKS[c] for c in ids] if ids else list(CHECKS.values())
    last = Run.objects.filter(status=Run.Status.DONE).order_by("-started_at").first()
    since = None if full or last is None else last.started_at
    run = Run.objects.create(full=since is None, checks=[c.id for c in checks], since=since, actor=actor)
    ctx = Context(since=since, today=today or timezone.localdate())
    counts: dict[str, dict[str, Any]] = {}
    try:
        for index, check in enumerate(checks, start=1):
            started = time.perf_counter()
            # An alert's sentence is stored in Chinese, whoever started the run in whatever language.
            with translation.override("zh-hans"):
                findings = list(check.run(ctx))
            raised, refired = _store(check, findings, run)
            counts[check.id] = {
                "findings": len(findings),
                "raised": raised,
                "refired": refired,
                "seconds": round(time.perf_counter() - started, 3),
            }
            if progress is not None:
                progress(check, index, len(checks))
    except Exception as error:
        Run.objects.filter(pk=run.pk).update(
            status=Run.Status.FAILED, error=repr(error)[:2000], counts=counts, finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        Run.objects.filter(pk=run.pk).update(
            status=Run.Status.DONE, counts=counts, finished_at=timezone.now()
        )
        run.refresh_from_db()
        audit_record(
            actor=actor,
            action="supervision.run",
            target=run,
            after={"full": run.full, "checks": run.checks, "counts": counts},
        )
    return run


@transaction.atomic
def _store(check: Check, findings: list[Finding], run: Run) -> tuple[int, int]:
    """Keep the check's findings as alerts; the counts of alerts raised and fired again."""
    by_print: dict[str, Finding] = {}
    for finding in findings:
        by_print.setdefault(finding.fingerprint(check.id), finding)
    existing = {
        a.fingerprint: a
        for a in Alert.objects.select_for_update().filter(check_id=check.id, fingerprint__in=list(by_print))
    }
    new: list[Alert] = []
    refired = 0
    events: list[AlertEvent] = []
    for fingerprint, finding in by_print.items():
        alert = existing.get(fingerprint)
        digest = finding.digest()
        if alert is None:
            new.append(_alert(check, finding, fingerprint, digest, run))
            continue
        if alert.digest == digest:
            continue
        # The records behind a known case changed: update it, and a dismissed one fires again.
        was = alert.state
        _fill(alert, finding, digest)
        if was == AlertState.DISMISSED:
            alert.state = AlertState.OPEN
            alert.decision_reason = ""
            refired += 1
            events.append(
                AlertEvent(
                    alert=alert,
                    action=AlertEvent.Action.REFIRED,
                    from_state=was,
                    to_state=AlertState.OPEN,
                    note=finding.message,
                )
            )
        alert.save()
    created = Alert.objects.bulk_create(new, batch_size=2000)
    if created and created[0].pk is None:  # a backend that does not return keys (none we use)
        created = list(Alert.objects.filter(check_id=check.id, fingerprint__in=[a.fingerprint for a in new]))
    events += [
        AlertEvent(alert=a, action=AlertEvent.Action.RAISED, to_state=AlertState.OPEN, note=a.message)
        for a in created
    ]
    AlertEvent.objects.bulk_create(events, batch_size=2000)
    return len(created), refired


def _alert(check: Check, finding: Finding, fingerprint: str, digest: str, run: Run) -> Alert:
    alert = Alert(check_id=check.id, fingerprint=fingerprint, first_run=run)
    _fill(alert, finding, digest)
    return alert


def _fill(alert: Alert, finding: Finding, digest: str) -> None:
    alert.digest = digest
    alert.severity = str(finding.severity)
    alert.message = finding.message
    alert.records = [r.as_json() for r in finding.records]
    alert.money = finding.money
    alert.organisation_id = finding.organisation_id
    alert.worker_id = finding.worker_id
    alert.town_id = finding.town_id
