"""Serial allocation under concurrency: parallel transactions never get the same certificate number."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from skillcity.certification import numbering
from skillcity.certification.models import SerialCounter

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 8
ROUNDS = 10


def test_parallel_allocations_never_share_a_serial():
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) are exercised on PostgreSQL; SQLite serialises writers")
    prefix = "Y000144190001241"  # Y 0001 44 190001 24 1
    got: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(WORKERS)

    def allocate() -> None:
        try:
            start.wait()
            for _ in range(ROUNDS):
                with transaction.atomic():
                    first = numbering.serial_allocate(prefix, 2)
                with lock:
                    got.extend([first, first + 1])
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(got) == list(range(1, WORKERS * ROUNDS * 2 + 1))
    assert SerialCounter.objects.get(prefix=prefix).last == WORKERS * ROUNDS * 2
