"""A stand-in for the policy engine's outcomes (the engine is tested on its own), a finance officer,
and a helper walking an application through the workflow."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Group

from skillcity.accounts.models import Role
from skillcity.grants import outcomes, services
from skillcity.grants.flows import FINANCE_GROUP
from skillcity.grants.models import Application
from tests.factories import UserFactory

# rule -> (basis, amount, min, max); outcomes in the engine's JSON shape.
FAKE_RULES: dict[str, tuple[str, str | None, str | None, str | None]] = {
    "CMP-HOST": ("cap", None, None, "100000.00"),
    "EDU-BASE": ("fixed", "1000000.00", None, None),
    "PLT-STANDARD": ("range", None, "50000.00", "200000.00"),
    "CMP-MATCH": ("matched", "6000.00", None, None),
    "TAL-CARD-FLOOR": ("floor", "3000.00", "3000.00", None),
    "PLT-CASE": ("case_by_case", None, None, None),
}


def fake_evaluate(rule_id: str, event_date: datetime.date, facts: dict[str, Any]) -> dict[str, Any]:
    basis, amount, low, high = FAKE_RULES.get(rule_id, ("cap", None, None, "1000000.00"))
    eligible = facts.get("eligible", True) is not False
    return {
        "rule": rule_id,
        "eligible": eligible,
        "basis": basis if eligible else "none",
        "amount": amount if eligible else None,
        "min": low,
        "max": high,
        "payee": "unit",
        "reasons": ["符合条件" if eligible else "不符合条件"],
        "trace": [{"step": "测试", "source": "D002"}],
        "sources": ["D002"],
        "assumptions": [],
    }


@pytest.fixture(autouse=True)
def fake_engine(monkeypatch):
    monkeypatch.setattr(outcomes, "evaluate", fake_evaluate)


@pytest.fixture
def own_funds():
    """Requested by a test that sets up its own budgets: no default funds then."""


@pytest.fixture(autouse=True)
def default_funds(request):
    """Every approval and payment is booked against a fund for its rule and year: a large one for every
    rule, 2022–2026, unless the test sets up its own (`own_funds`) or uses no database."""
    if "own_funds" in request.fixturenames or not (
        request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("db")
    from skillcity.grants.models import Fund
    from skillcity.policy.engine import load_rules

    Fund.objects.bulk_create(
        Fund(programme=rule, year=year, name=f"{rule} {year}", total=Decimal("100000000"))
        for rule in sorted(set(load_rules()) | set(FAKE_RULES))
        for year in range(2022, 2027)
    )


@pytest.fixture
def finance_officer(db):
    user = UserFactory(username="finance_officer", role=Role.BUREAU_OFFICER)
    user.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    return user


EVENT = datetime.date(2024, 3, 1)


def submitted(user: Any, rule: str = "CMP-HOST", **facts: Any) -> Application:
    app = services.application_create(actor=user, rule_id=rule, event_date=EVENT, facts=facts)
    return services.application_submit(application=app, actor=user)


def to_notice(
    app: Application, reviewers: list[Any], bureau: Any, amount: Decimal | None = None
) -> Application:
    for i, reviewer in enumerate(reviewers):
        last = i == len(reviewers) - 1
        app = services.application_review_pass(
            application=app, actor=reviewer, amount=amount if last else None
        )
    services.notice_start(application=app, actor=bureau, start=datetime.date(2024, 4, 1))
    app.refresh_from_db()
    return app


AFTER_NOTICE = datetime.date(2024, 4, 30)
