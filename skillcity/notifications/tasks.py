"""Background jobs of the notifications app (django-tasks): run by `skillcity worker`."""

from __future__ import annotations

import datetime

from django_tasks import task

from skillcity.notifications import services


@task()
def vouchers_expiring_notify_task(today: str) -> int:
    return services.vouchers_expiring_notify(today=datetime.date.fromisoformat(today))
