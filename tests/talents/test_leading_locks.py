"""Shortlisting (the quota) and recognition (the certificate number, count + 1) lock the year's call
row, so two at once queue instead of both passing the quota or taking one number."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db.models.query import QuerySet

from skillcity.talents.models import LeadingCall
from skillcity.talents.services import leading
from tests.talents.leading_helpers import DAY, call, expert, funds, to_recognition

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(monkeypatch):
    """The models whose rows were locked (select_for_update), in order."""
    seen: list[type] = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        seen.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    return seen


def test_shortlist_and_recognise_lock_the_call(bureau_officer, worker_user, changan, locked):
    funds(bureau_officer)
    the_call = call(bureau_officer)
    app = leading.application_submit(actor=worker_user, call=the_call, grounds="g", day=DAY)
    ew, eu = expert(changan)
    leading.formal_check(actor=bureau_officer, application=app, passed=True)
    member = leading.panel_member_add(actor=bureau_officer, call=the_call, worker=ew)
    assignment = leading.assign(actor=bureau_officer, application=app, member=member)
    leading.scores_submit(
        actor=eu,
        assignment=assignment,
        points={"skill": "1", "contribution": "1", "honours": "1", "mentoring": "1"},
    )
    locked.clear()
    leading.shortlist(actor=bureau_officer, application=app, living_amount=Decimal("150000"), day=DAY)
    assert LeadingCall in locked
    locked.clear()
    recognition = leading.recognise(actor=bureau_officer, application=app, day=datetime.date(2025, 4, 10))
    assert LeadingCall in locked
    assert recognition.number == "LJ-2025-001"


def test_the_helper_walk_still_numbers_in_order(bureau_officer, worker_user, changan):
    funds(bureau_officer)
    the_call = call(bureau_officer)
    app = leading.application_submit(actor=worker_user, call=the_call, grounds="g", day=DAY)
    ew, eu = expert(changan)
    assert to_recognition(bureau_officer, the_call, app, ew, eu).number == "LJ-2025-001"
