"""Employment's periodic work (registered with the jobs scheduler in registrations.py)."""

from __future__ import annotations

from django_tasks import task

from skillcity.employment.services.adapter import contributions_pull


@task()
def contributions_pull_task() -> str:
    done = contributions_pull()
    return (
        f"pages {done['pages']} written {done['written']} unchanged {done['unchanged']} held {done['held']}"
    )
