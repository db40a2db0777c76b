"""The runs and the alerts they keep (issue 20 §2–3): a case found again is one alert; a dismissed
alert stays dismissed until its records change; an incremental run reads only what is new; each run is
recorded with its counts; an unknown check is refused. A check of the test's own (flagging withdrawn
enrolments) stands in for the real ones, which have their own tests."""

from __future__ import annotations

import datetime
import io

import polars as pl
import pytest
from django.core.management import call_command

from skillcity.core.errors import DomainError
from skillcity.supervision.checks import CHECKS, Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.models import Alert, AlertEvent, AlertState, Run
from skillcity.supervision.services import supervise
from skillcity.training import services as training
from tests.factories import WorkerFactory

pytestmark = pytest.mark.django_db


def _withdrawn(ctx: Context) -> list[Finding]:
    frame = ctx.frame("enrolments").filter(pl.col("status") == "withdrawn")
    return [
        Finding(
            records=(RecordRef("training.enrolment", row["id"]),),
            message=f"报名 {row['id']} 已退出",
            organisation_id=row["provider_id"],
            worker_id=row["worker_id"],
            town_id=row["town_id"],
            values=(row["status"], row["completed_on"]),
        )
        for row in frame.iter_rows(named=True)
    ]


@pytest.fixture
def test_check():
    check = register_check(
        Check(
            id="TEST-WITHDRAWN", title="测试", enforces="测试", reads=("training.enrolment",), run=_withdrawn
        )
    )
    yield check
    CHECKS.pop(check.id)


def withdraw(in_class, worker):
    from skillcity.training.models import Enrolment

    e = training.enrolment_create(
        training_class=in_class, worker=worker, enrolled_on=datetime.date(2025, 2, 1), actor="test"
    )
    Enrolment.objects.filter(pk=e.pk).update(status="withdrawn")
    return e


def test_a_case_found_again_is_one_alert_and_a_dismissed_one_stays_dismissed(
    test_check, training_class, changan
):
    enrolment = withdraw(training_class, WorkerFactory(town=changan))
    first = supervise(check_ids=["TEST-WITHDRAWN"], full=True)
    assert first.status == Run.Status.DONE and first.counts["TEST-WITHDRAWN"]["raised"] == 1
    alert = Alert.objects.get()
    assert alert.state == AlertState.OPEN and alert.records[0] == {
        "kind": "training.enrolment",
        "id": enrolment.pk,
        "label": "",
    }
    assert list(alert.events.values_list("action", flat=True)) == ["raised"]
    again = supervise(check_ids=["TEST-WITHDRAWN"], full=True)
    assert again.counts["TEST-WITHDRAWN"] == again.counts["TEST-WITHDRAWN"] | {"raised": 0, "refired": 0}
    assert Alert.objects.count() == 1

    Alert.objects.filter(pk=alert.pk).update(state=AlertState.DISMISSED, decision_reason="已核实为本人退学")
    supervise(check_ids=["TEST-WITHDRAWN"], full=True)
    assert Alert.objects.get().state == AlertState.DISMISSED  # same records: not again

    from skillcity.training.models import Enrolment

    Enrolment.objects.filter(pk=enrolment.pk).update(completed_on=datetime.date(2025, 3, 1))
    refired = supervise(check_ids=["TEST-WITHDRAWN"], full=True)
    alert.refresh_from_db()
    assert refired.counts["TEST-WITHDRAWN"]["refired"] == 1
    assert alert.state == AlertState.OPEN and alert.decision_reason == ""
    assert AlertEvent.objects.filter(alert=alert, action="refired").count() == 1


def test_an_incremental_run_starts_where_the_last_one_finished(test_check):
    first = supervise(check_ids=["TEST-WITHDRAWN"])
    assert first.full and first.since is None
    second = supervise(check_ids=["TEST-WITHDRAWN"])
    assert not second.full and second.since == first.started_at
    assert supervise(check_ids=["TEST-WITHDRAWN"], full=True).full


def test_an_unknown_check_is_refused_and_a_failed_run_is_recorded(test_check):
    with pytest.raises(DomainError):
        supervise(check_ids=["NO-SUCH-CHECK"])

    def broken(ctx: Context) -> list[Finding]:
        raise RuntimeError("boom")

    register_check(Check(id="TEST-BROKEN", title="坏", enforces="坏", reads=(), run=broken))
    try:
        with pytest.raises(RuntimeError):
            supervise(check_ids=["TEST-BROKEN"], full=True)
        assert Run.objects.get(checks=["TEST-BROKEN"]).status == Run.Status.FAILED
    finally:
        CHECKS.pop("TEST-BROKEN")


def test_the_cli_runs_with_a_progress_bar_and_prints_the_counts(test_check, training_class, changan):
    withdraw(training_class, WorkerFactory(town=changan))
    out = io.StringIO()
    call_command("supervise", "--check", "TEST-WITHDRAWN", "--full", stdout=out)
    assert "TEST-WITHDRAWN: 1 findings, 1 new alerts" in out.getvalue() and "full: done" in out.getvalue()
    with pytest.raises(SystemExit) as exit_:
        call_command("supervise", "--check", "NOPE", stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_.value.code == 2


def test_the_nightly_job_is_registered():
    from skillcity.jobs.schedule import PERIODIC_JOBS

    job = PERIODIC_JOBS["supervision.nightly"]
    assert job.period == "daily" and job.task == "skillcity.supervision.tasks.supervise_task"
