"""The demo's matching step (issue 19 §7) on the small demo city: job needs, matches in every state,
officers with assignments and follow-ups, fairs (a 2026 春风行动 among them) with vacancies, and hires,
some confirmed by the employment demo's ledger, some unconfirmed with why."""

from __future__ import annotations

import pytest

from skillcity.matching.models import Assignment, FollowUp, Hire, JobFair, JobNeed, Match, SeekerNeed

pytestmark = [pytest.mark.slow]


def test_the_demo_has_every_state_and_hires_confirmed_by_the_ledger(demo_city, client):
    from django.contrib.auth import get_user_model

    assert JobNeed.objects.count() > 20 and SeekerNeed.objects.count() > 50
    states = set(Match.objects.values_list("state", flat=True))
    assert states == set(Match.State.values)
    assert JobFair.objects.filter(kind=JobFair.Kind.SPRING_BREEZE, starts_on__year=2026).exists()
    assert JobNeed.objects.filter(fair__isnull=False).exists()
    hires = set(Hire.objects.values_list("state", flat=True))
    assert {Hire.State.CONFIRMED, Hire.State.UNCONFIRMED} <= hires
    assert (
        Hire.objects.filter(state=Hire.State.UNCONFIRMED).exclude(why="").count()
        == Hire.objects.filter(state=Hire.State.UNCONFIRMED).count()
    )
    assert Assignment.objects.filter(officer__username="changan").exists() and FollowUp.objects.exists()
    users = get_user_model().objects
    worker = users.get(username="worker")
    assert Match.objects.filter(worker_id=worker.worker_id, state=Match.State.PROPOSED).exists()
    for username in ("bureau", "changan", "enterprise", "worker"):
        client.force_login(users.get(username=username))
        assert client.get("/matching/").status_code == 200, username
