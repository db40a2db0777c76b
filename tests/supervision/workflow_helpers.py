"""Helpers of the workflow tests (part "workflow" of issue 20): a test check of our own that raises an
alert for every paid or approved CMP-HOST application (its organisation, town and money from the real
records), and a helper walking an application through grants to approved or paid."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from skillcity.grants import services as grants
from skillcity.grants.models import Application
from skillcity.supervision.checks import CHECKS, Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.checks.frames import query_frame
from skillcity.supervision.models import Alert
from skillcity.supervision.services import supervise
from tests.grants.conftest import AFTER_NOTICE, submitted, to_notice

CHECK_ID = "TEST-GRANTS"


def _granted(ctx: Context) -> list[Finding]:
    frame = query_frame(
        Application.objects.order_by()
        .filter(rule_id="CMP-HOST", state__in=["approved", "paid"])
        .values_list("id", "organisation_id", "town_id", "decided_amount", "state"),
        {"id": pl.Int64, "org": pl.Int64, "town": pl.Int64, "amount": pl.Decimal(14, 2), "state": pl.Utf8},
    )
    return [
        Finding(
            records=(RecordRef("grants.application", row["id"], f"申请 #{row['id']}"),),
            message=f"测试规则：申请 #{row['id']} 核定 {row['amount']} 元",
            severity="high",
            money=Decimal(row["amount"]),
            organisation_id=row["org"],
            town_id=row["town"],
            values=(str(row["amount"]),),
        )
        for row in frame.iter_rows(named=True)
    ]


@pytest.fixture
def grants_check():
    check = register_check(
        Check(
            id=CHECK_ID,
            title="测试：已核准的承办补贴",
            enforces="测试",
            reads=("grants.application",),
            run=_granted,
        )
    )
    yield check
    CHECKS.pop(check.id)


def approved(applicant: Any, town_officer: Any, bureau: Any) -> Application:
    app = to_notice(submitted(applicant), [town_officer, bureau], bureau)
    return grants.application_approve(application=app, actor=bureau, today=AFTER_NOTICE)


def paid(applicant: Any, town_officer: Any, bureau: Any, finance: Any, key: str = "pay-1") -> Application:
    app = approved(applicant, town_officer, bureau)
    grants.payment_make(application=app, actor=finance, idempotency_key=key, treasury_reference="GK-1")
    app.refresh_from_db()
    return app


def raise_alert() -> Alert:
    supervise(check_ids=[CHECK_ID], full=True)
    return Alert.objects.get(check_id=CHECK_ID)
