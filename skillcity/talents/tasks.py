"""Talents' periodic work (registered with the jobs scheduler in apps.py)."""

from __future__ import annotations

import datetime

from django_tasks import task

from skillcity.talents.services import rent


@task()
def rent_pay_task(today: str) -> str:
    done = rent.rent_pay_month(day=datetime.date.fromisoformat(today))
    return f"paid {done['paid']} ended {done['ended']} refused {done['refused']}"
