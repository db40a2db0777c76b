"""Races that only a real database with row locks can show (PostgreSQL; SQLite serialises writers)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections

from skillcity.core.errors import DomainError
from skillcity.grants import services
from skillcity.grants.models import Application, Fund, FundEntry, Payment
from tests.grants.conftest import AFTER_NOTICE, submitted, to_notice

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row-lock races need PostgreSQL"),
]


def _race(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[Exception]]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[Exception] = []

    def run(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results.append(call())
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def _in_notice(enterprise_user, changan_officer, bureau_officer) -> Application:
    return to_notice(submitted(enterprise_user), [changan_officer, bureau_officer], bureau_officer)


def test_two_approvals_at_once_make_one_decision(enterprise_user, changan_officer, bureau_officer):
    assert connection.vendor == "postgresql"
    app = _in_notice(enterprise_user, changan_officer, bureau_officer)
    call = lambda: services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)  # noqa: E731
    results, errors = _race([call, call])
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], DomainError) and errors[0].code == "illegal_transition"
    assert app.events.filter(action="approve").count() == 1


@pytest.mark.parametrize("keys", [("same", "same"), ("one", "two")])
def test_two_payment_requests_make_one_payment(
    keys, enterprise_user, changan_officer, bureau_officer, finance_officer
):
    app = _in_notice(enterprise_user, changan_officer, bureau_officer)
    app = services.application_approve(application=app, actor=bureau_officer, today=AFTER_NOTICE)
    calls = [
        (lambda k=k: services.payment_make(application=app, actor=finance_officer, idempotency_key=k))
        for k in keys
    ]
    results, errors = _race(calls)
    assert Payment.objects.filter(application=app).count() == 1
    if keys[0] == keys[1]:
        assert len(results) == 2 and results[0].pk == results[1].pk
    else:
        assert len(results) == 1 and isinstance(errors[0], DomainError) and errors[0].code == "already_paid"


def test_two_approvals_racing_for_the_last_budget_only_one_succeeds(
    own_funds, enterprise_user, changan_officer, bureau_officer
):
    fund = Fund.objects.create(programme="CMP-HOST", year=2024, name="竞赛承办", total=Decimal("100000"))
    a = _in_notice(enterprise_user, changan_officer, bureau_officer)
    b = _in_notice(enterprise_user, changan_officer, bureau_officer)
    results, errors = _race(
        [
            lambda: services.application_approve(application=a, actor=bureau_officer, today=AFTER_NOTICE),
            lambda: services.application_approve(application=b, actor=bureau_officer, today=AFTER_NOTICE),
        ]
    )
    assert len(results) == 1 and len(errors) == 1 and errors[0].code == "budget_exceeded"
    assert FundEntry.objects.filter(fund=fund, kind="commitment").count() == 1
    assert fund.balances()["remaining"] == Decimal("0.00")


@pytest.mark.parametrize("keys", [("same", "same"), ("one", "two")])
def test_two_batch_payments_at_once_pay_each_application_once(
    keys, enterprise_user, changan_officer, bureau_officer, finance_officer
):
    apps = [
        services.application_approve(
            application=_in_notice(enterprise_user, changan_officer, bureau_officer),
            actor=bureau_officer,
            today=AFTER_NOTICE,
        )
        for _ in range(2)
    ]
    ids = [a.pk for a in apps]
    calls = [
        (
            lambda k=k: services.payment_batch_make(
                ids=ids, actor=finance_officer, idempotency_key=k, treasury_reference="GK-R"
            )
        )
        for k in keys
    ]
    results, errors = _race(calls)
    assert Payment.objects.count() == 2
    if keys[0] == keys[1]:
        # The second, same-key request waited for the row locks and answers the first one's result.
        assert len(results) == 2 and results[0]["payments"] == results[1]["payments"]
    else:
        assert len(results) == 1 and isinstance(errors[0], services.PaymentBatchRefused)
