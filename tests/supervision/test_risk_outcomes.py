"""The risk page reads the training outcomes (issue 19 §5, issue 20 §1): beside a provider's alerts, its
trainees of last year and the shares certified and employed within 6 months, from the records."""

from __future__ import annotations

import datetime

import pytest

from skillcity.supervision.checks import CHECKS, Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.selectors.risk import outcome_year, risk_ranking
from skillcity.supervision.services import supervise
from tests.employment.helpers import contribute
from tests.factories import WorkerFactory
from tests.timeline.conftest import enrol_and_complete

pytestmark = pytest.mark.django_db


def test_a_providers_outcomes_show_beside_its_alerts(
    client, training_class, changan, changan_enterprise, bureau_officer
):
    provider = training_class.project.provider
    year = outcome_year()
    employed, idle = WorkerFactory(town=changan), WorkerFactory(town=changan)
    for w in (employed, idle):
        enrol_and_complete(training_class, w, completed_on=datetime.date(year, 3, 31))
    contribute(employed, changan_enterprise, f"{year}-05", 8)  # the ledger runs to December

    def flag(ctx: Context) -> list[Finding]:
        return [
            Finding(
                records=(RecordRef("registry.organisation", provider.pk),),
                message="测试",
                organisation_id=provider.pk,
                town_id=provider.town_id,
            )
        ]

    register_check(Check(id="TEST-PROVIDER", title="测试", enforces="测试", reads=(), run=flag))
    try:
        supervise(check_ids=["TEST-PROVIDER"], full=True)
    finally:
        CHECKS.pop("TEST-PROVIDER")
    [risk] = risk_ranking(bureau_officer)
    assert risk.outcomes.trainees == 2 and risk.outcomes.employed == 1
    client.force_login(bureau_officer)
    page = client.get("/supervision/risk/").content.decode()
    assert f"培训成效（{year}年结业，结业后 6 个月内）：结业 2 人" in page and "就业率 50.0%" in page
