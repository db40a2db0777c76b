"""Issue 14: a version the bureau publishes is used by grants from its effective date; an application
decided before keeps its stored outcome, and a re-evaluation dated before gets the old version."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from skillcity.accounts.models import Role
from skillcity.grants.models import Application
from skillcity.policy import engine as E
from skillcity.policy.lifecycle import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STUDIO_TEXT = "新设市级技能大师工作室每家最高给予60万元补贴；省级、国家级分别奖励20万元、30万元。"


@pytest.fixture(autouse=True)
def fake_engine():
    """Override the package's stand-in: these tests use the real engine."""
    return None


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _publish_2026_studio_cap() -> None:
    drafter = UserFactory(username="officer_a", role=Role.BUREAU_OFFICER)
    checker = UserFactory(username="officer_b", role=Role.BUREAU_OFFICER)
    draft = services.draft_create(actor=drafter, title="2026年技能大师工作室补贴")
    services.document_register(
        draft=draft, actor=drafter, key="D005", title="技能大师工作室设立管理办法（修订）", issuer="市人社局",
        effective_from=datetime.date(2026, 1, 1), effective_to=datetime.date(2026, 12, 31),
    )  # fmt: skip
    for name, value in (
        ("PLT-STUDIO.new_city_cap", "600000"),
        ("PLT-STUDIO.provincial", "200000"),
        ("PLT-STUDIO.national", "300000"),
    ):
        services.draft_version_add(
            draft=draft, actor=drafter, parameter=name, value=value, effective_from=datetime.date(2026, 1, 1),
            effective_to=None, document="D005", clause="第五条", text=STUDIO_TEXT,
        )  # fmt: skip
    services.draft_submit(draft=draft, actor=drafter)
    services.draft_approve(draft=draft, actor=checker)


def _apply(user, day: str) -> Application:
    r = _client(user).post(
        "/grants/apply/",
        {"rule_id": "PLT-STUDIO", "event_date": day, "recognition": "new_city", "requested": "550000"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    return Application.objects.latest("id")


def test_grants_use_a_published_version_from_its_date_and_past_outcomes_stay(enterprise_user):
    before = _apply(enterprise_user, "2024-05-01")
    stored = dict(before.outcome)
    assert stored["max"] == "500000.00"
    _publish_2026_studio_cap()

    before.refresh_from_db()
    assert before.outcome == stored  # the stored outcome is never recomputed
    again = E.evaluate("PLT-STUDIO", datetime.date(2024, 5, 1), before.facts).as_dict()
    assert again["max"] == "500000.00" and again["sources"] == stored["sources"]

    after = _apply(enterprise_user, "2026-03-01")
    assert after.outcome["max"] == "600000.00"
    assert after.outcome["amount"] == "550000.00"
    assert after.outcome["sources"][0]["document"] == "D005"
