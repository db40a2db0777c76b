"""Background jobs run without anyone starting them: the scheduler enqueues, the worker runs."""

from __future__ import annotations

import datetime
import os
import sqlite3
import subprocess
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django_tasks_db.management.commands.db_worker import Worker as TaskWorker
from django_tasks_db.models import DBTaskResult

from skillcity.jobs.models import ScheduledRun
from skillcity.jobs.schedule import PERIODIC_JOBS, tick
from skillcity.registry.models import Worker
from skillcity.training.models import Voucher, VoucherState
from skillcity.training.services import voucher_batch_issue
from tests.console import skillcity_command
from tests.factories import WorkerFactory

DECEMBER_2026 = datetime.datetime(2026, 12, 2, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
EXPIRY = "skillcity.training.tasks.vouchers_expire_task"


def _run_the_worker_until_the_queue_is_empty() -> None:
    """The real worker (django-tasks-db's), in this process, for one pass over the queue."""
    TaskWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def _voucher_for_the_year(worker: Worker, year: int):
    return voucher_batch_issue(
        name=f"{year} 年培训券",
        face_value=Decimal("800"),
        valid_from=datetime.date(year, 1, 1),
        valid_to=datetime.date(year, 12, 31),
        workers=Worker.objects.filter(pk=worker.pk),
        actor="test",
    )


def test_the_registry_table_holds_the_periodic_jobs_with_their_reasons():
    assert {"training.vouchers_expire", "alliances.reminders"} <= set(PERIODIC_JOBS)
    for job in PERIODIC_JOBS.values():
        assert job.reason and job.period in {"daily", "hourly", "minutely"}


def test_a_2025_voucher_past_its_validity_is_expired_by_the_scheduled_job(transactional_db):
    worker = WorkerFactory()
    batch, still_valid = (_voucher_for_the_year(worker, year) for year in (2025, 2026))
    assert batch.vouchers.get().state == VoucherState.ISSUED

    assert "training.vouchers_expire" in tick(DECEMBER_2026)
    _run_the_worker_until_the_queue_is_empty()

    assert batch.vouchers.get().state == VoucherState.EXPIRED
    assert still_valid.vouchers.get().state == VoucherState.ISSUED
    run = ScheduledRun.objects.get(job="training.vouchers_expire")
    assert run.period == "2026-12-02"
    result = DBTaskResult.objects.get(id=run.task_id)
    assert (result.task_path, result.status, result.return_value) == (EXPIRY, "SUCCESSFUL", 1)
    assert Voucher.objects.filter(state=VoucherState.EXPIRED).count() == 1


def test_the_scheduler_fires_a_job_once_per_period_even_when_run_twice(db):
    first = tick(DECEMBER_2026)
    assert "training.vouchers_expire" in first
    later_that_day = tick(DECEMBER_2026 + datetime.timedelta(hours=10))
    # The same day: no daily job again (hourly and minutely ones fire in their new period).
    assert [n for n in later_that_day if PERIODIC_JOBS[n].period == "daily"] == []
    assert DBTaskResult.objects.filter(task_path=EXPIRY).count() == 1
    # The next day fires again, once.
    assert "training.vouchers_expire" in tick(DECEMBER_2026 + datetime.timedelta(days=1))
    assert DBTaskResult.objects.filter(task_path=EXPIRY).count() == 2
    assert list(
        ScheduledRun.objects.filter(job="training.vouchers_expire")
        .order_by("period")
        .values_list("period", flat=True)
    ) == ["2026-12-02", "2026-12-03"]


def test_the_hourly_job_seals_the_audit_chain_into_the_anchor(transactional_db):
    from django.db import transaction

    from skillcity.core.audit import audit_record
    from skillcity.core.audit_anchor import anchors_read
    from skillcity.core.audit_key import audit_key

    with transaction.atomic():
        audit_record(actor="test", action="test.write", target=None, after={"n": 1})
    assert "core.audit_seal" in tick(DECEMBER_2026)
    _run_the_worker_until_the_queue_is_empty()

    run = ScheduledRun.objects.get(job="core.audit_seal")
    assert run.period == "2026-12-02T09"
    result = DBTaskResult.objects.get(id=run.task_id)
    assert result.status == "SUCCESSFUL"
    head = anchors_read(audit_key(create=False)).anchors[-1]
    assert result.return_value == f"sealed {head.seq}"


@pytest.mark.slow
@pytest.mark.sqlite_only
def test_skillcity_worker_starts_and_processes_a_task(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(SKILLCITY_DATA_DIR=str(tmp_path), SKILLCITY_DEBUG="0")
    subprocess.run([*skillcity_command(), "migrate", "-v0"], env=env, check=True)
    subprocess.run([*skillcity_command(), "vouchers", "expire", "--enqueue"], env=env, check=True)
    # As `skillcity serve` starts it (with --parent): at a lower CPU priority than the server.
    options = ["--tasks-only", "--max-tasks", "1", "--interval", "0.2", "--parent", str(os.getpid())]
    done = subprocess.run(
        [*skillcity_command(), "worker", *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "CPU priority lowered by 10" in done.stdout
    with sqlite3.connect(Path(tmp_path) / "skillcity.sqlite3") as database:
        rows = database.execute("SELECT task_path, status FROM django_tasks_database_dbtaskresult").fetchall()
    assert rows == [(EXPIRY, "SUCCESSFUL")]
