"""TAL-LEADING-EMPLOYER's yearly cap (1,000,000 per unit per year, D002 item 25) holds across claims
standing side by side, not only across payments: a claim in review counts, and approval re-checks the
cap with the unit's row locked."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from skillcity.core.errors import DomainError
from skillcity.grants import services as grants
from skillcity.grants.models import ApplicationState
from skillcity.grants.services.records import application_from_records
from skillcity.talents.services import leading
from tests.factories import WorkerFactory
from tests.talents.leading_helpers import DAY, NOTICE_OVER, call, expert, funds, to_recognition

pytestmark = pytest.mark.django_db
APPROVE_DAY = datetime.date(2025, 5, 30)


@pytest.fixture
def recognitions(bureau_officer, enterprise_user, changan_enterprise, changan):
    funds(bureau_officer)
    the_call = call(bureau_officer)
    found = []
    for name in ("引进甲", "引进乙"):
        w = WorkerFactory(town=changan, employer=changan_enterprise, name=name)
        app = leading.application_submit(
            actor=enterprise_user, call=the_call, worker=w, grounds="引进", introduced_on=DAY, day=DAY
        )
        ew, eu = expert(changan, f"专家{name}")
        found.append(to_recognition(bureau_officer, the_call, app, ew, eu))
    return found


def _to_notice(grant, bureau_officer):
    grants.application_review_pass(application=grant, actor=bureau_officer)
    grants.notice_start(application=grant, actor=bureau_officer, start=NOTICE_OVER)


def test_a_claim_in_review_counts_against_the_cap_of_the_next_claim(recognitions, enterprise_user):
    first = leading.employer_reward_claim(
        actor=enterprise_user, recognition=recognitions[0], requested="700000", day=NOTICE_OVER
    )
    assert first.state == ApplicationState.IN_REVIEW
    second = leading.employer_reward_claim(
        actor=enterprise_user, recognition=recognitions[1], requested="700000", day=NOTICE_OVER
    )
    assert second.facts["already_received_this_year"] == "700000.00"
    assert second.outcome["amount"] == "300000.00"


def test_a_withdrawn_claim_no_longer_counts(recognitions, enterprise_user):
    first = leading.employer_reward_claim(
        actor=enterprise_user, recognition=recognitions[0], requested="700000", day=NOTICE_OVER
    )
    grants.application_withdraw(application=first, actor=enterprise_user, reason="撤回")
    second = leading.employer_reward_claim(
        actor=enterprise_user, recognition=recognitions[1], requested="700000", day=NOTICE_OVER
    )
    assert second.facts["already_received_this_year"] == "0.00"


def test_two_claims_made_side_by_side_cannot_together_be_approved_past_the_cap(
    recognitions, bureau_officer, changan_enterprise
):
    # Both claims read the ledger at the same moment (each saw nothing received): approval re-checks.
    claims = []
    for r in recognitions:
        claims.append(
            application_from_records(
                actor=bureau_officer,
                rule_id="TAL-LEADING-EMPLOYER",
                payee=changan_enterprise,
                event_date=NOTICE_OVER,
                facts={"requested": "700000", "already_received_this_year": "0.00"},
                fact_sources={"requested": "申报", "already_received_this_year": "支付记录"},
                source_key=f"talents.employer:{r.application_id}",
            )
        )
    for grant in claims:
        _to_notice(grant, bureau_officer)
    grants.application_approve(application=claims[0], actor=bureau_officer, today=APPROVE_DAY)
    with pytest.raises(DomainError) as over:
        grants.application_approve(application=claims[1], actor=bureau_officer, today=APPROVE_DAY)
    assert over.value.code == "yearly_cap_exceeded" and "amount" in over.value.fields
    claims[1].refresh_from_db()
    assert claims[1].state == ApplicationState.IN_NOTICE
    # Within what remains, the second is approved.
    approved = grants.application_approve(
        application=claims[1], actor=bureau_officer, amount=Decimal("300000"), today=APPROVE_DAY
    )
    assert approved.state == ApplicationState.APPROVED
