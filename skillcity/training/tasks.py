"""Background jobs (django-tasks, database backend): run by `skillcity worker`."""

from __future__ import annotations

import datetime

from django_tasks import task

from skillcity.core.periods import HalfYear
from skillcity.registry.models import Organisation
from skillcity.training import services


@task()
def vouchers_expire_task(today: str) -> int:
    return services.vouchers_expire(today=datetime.date.fromisoformat(today), actor="task")


@task()
def settlement_run_task(provider_id: int, period: str) -> str:
    settlement = services.settlement_run(
        provider=Organisation.objects.get(pk=provider_id), period=HalfYear.parse(period), actor="task"
    )
    return f"{settlement.line_count} {settlement.total_amount}"
