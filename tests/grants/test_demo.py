from __future__ import annotations

import io

import pytest

from skillcity.accounts.models import Role
from skillcity.grants.demo import demo_grants
from skillcity.grants.models import Application, Fund
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_step_makes_funds_and_applications_in_several_states_and_is_idempotent(
    changan_enterprise, changan
):
    UserFactory(username="bureau", role=Role.BUREAU_OFFICER)
    UserFactory(username="enterprise", role=Role.ORGANISATION_USER, organisation=changan_enterprise)
    UserFactory(username="changan", role=Role.TOWN_OFFICER, town=changan)
    out = io.StringIO()
    demo_grants(1, out)
    assert Fund.objects.get(programme="EDU-BASE", year=2023).total == 25000000
    states = set(Application.objects.values_list("state", flat=True))
    assert {"paid", "in_notice", "in_review", "returned", "rejected"} <= states, out.getvalue()
    count = Application.objects.count()
    demo_grants(1, out)
    assert Application.objects.count() == count and Fund.objects.count() == 4
