"""Background jobs of the policy app (django-tasks): run by `skillcity worker`."""

from __future__ import annotations

import datetime

from django_tasks import task

from skillcity.policy.lifecycle import expiry


@task()
def policy_expiry_warn_task(today: str) -> int:
    return expiry.policy_expiry_warn(today=datetime.date.fromisoformat(today))
