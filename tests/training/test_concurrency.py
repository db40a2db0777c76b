"""Exactly-once redemption under real concurrency: separate connections, one voucher."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from skillcity.core.errors import DomainError
from skillcity.training import services
from skillcity.training.models import Redemption, VoucherEvent
from tests.training.conftest import TODAY, issue


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_redemptions_of_one_voucher_succeed_exactly_once(institution, changan_worker):
    if connection.vendor != "postgresql":
        pytest.skip("parallel writers need PostgreSQL (SQLite serialises them anyway)")
    code = issue([changan_worker]).vouchers.get().code
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def redeem(n: int) -> None:
        try:
            barrier.wait()
            services.voucher_redeem(
                code=code, provider=institution, idempotency_key=f"key-{n}", actor="t", today=TODAY
            )
            result = "ok"
        except DomainError as error:
            result = str(error.message)
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=redeem, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1
    assert outcomes.count("该培训券已核销") == 19
    assert Redemption.objects.count() == 1
    assert VoucherEvent.objects.filter(state="redeemed").count() == 1
