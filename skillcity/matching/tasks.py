"""Matching's periodic work (registered with the jobs scheduler in registrations.py)."""

from __future__ import annotations

from django_tasks import task

from skillcity.matching.services.hires import hires_confirm


@task()
def hires_confirm_task() -> str:
    done = hires_confirm()
    return f"confirmed {done['confirmed']} unconfirmed {done['unconfirmed']} pending {done['pending']}"
