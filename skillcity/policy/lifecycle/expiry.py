"""Warn the bureau before a document, or a rule's last version, expires (the daily job).

A warning is due when the end falls within SKILLCITY_POLICY_EXPIRY_WARNING_DAYS (90 by default) of
today. The job records each as an `ExpiryWarning` row (the dashboard shows those not yet past) and
tells every active bureau officer once per end date (the notification's key names it, so a rerun, or
the job on the next day, tells no one twice; a continuation that moves the end warns again later).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from skillcity.policy import engine as E
from skillcity.policy.lifecycle.documents import document_records, rule_last_day
from skillcity.policy.models import DocumentStatus, ExpiryWarning, ExpiryWarningKind


def expiring(today: datetime.date, days: int) -> list[tuple[str, str, str, datetime.date]]:
    """(kind, key, title, last day) of what is in force today and ends within `days`."""
    horizon = today + datetime.timedelta(days=days)
    found = []
    for doc in document_records():
        if (
            doc.status_on(today) == DocumentStatus.IN_FORCE
            and doc.valid_to is not None
            and doc.valid_to <= horizon
        ):
            found.append((ExpiryWarningKind.DOCUMENT.value, doc.key, doc.title, doc.valid_to))
    for rule in sorted(E.enabled_rules().values(), key=lambda r: r.id):
        active, last = rule_last_day(rule, today)
        if active and last is not None and last <= horizon:
            found.append((ExpiryWarningKind.RULE.value, rule.id, rule.title, last))
    return found


def policy_expiry_warn(*, today: datetime.date, days: int | None = None) -> int:
    """Record the warnings of `today` and notify the bureau; the number of new warnings."""
    from skillcity.accounts.models import Role, User
    from skillcity.notifications.models import NotificationKind
    from skillcity.notifications.services import notifications_send

    days = settings.POLICY_EXPIRY_WARNING_DAYS if days is None else days
    officers = list(User.objects.filter(role=Role.BUREAU_OFFICER, is_active=True))
    new = 0
    url = reverse("policy:rules")
    for kind, key, title, ends_on in expiring(today, days):
        with transaction.atomic():
            _, created = ExpiryWarning.objects.get_or_create(
                kind=kind, key=key, ends_on=ends_on, defaults={"title": title[:300], "found_on": today}
            )
            new += int(created)
            notifications_send(
                users=officers,
                kind=NotificationKind.POLICY_EXPIRING,
                key=f"policy_expiring:{kind}:{key}:{ends_on.isoformat()}",
                params={"kind": kind, "key": key, "title": title[:100], "date": ends_on.isoformat()},
                url=url,
            )
    return new


def current_warnings(today: datetime.date) -> list[ExpiryWarning]:
    """What the dashboard shows: warnings whose end has not passed and that are still true (a
    continuation published since moved the end: that warning is no longer shown)."""
    still = {(k, key, end) for k, key, _, end in expiring(today, 10**5)}
    return [
        w for w in ExpiryWarning.objects.filter(ends_on__gte=today) if (w.kind, w.key, w.ends_on) in still
    ]
