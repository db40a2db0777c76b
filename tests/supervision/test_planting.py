"""Planted fraud (issue 20 §4): deterministic from the seed, the documented counts, every case and
near-miss in the truth file (kept out of the tables), and a round planted once only."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest
from django.db import transaction

from skillcity.core.errors import DomainError
from skillcity.supervision.checks import CHECKS, Check, Context, Finding, RecordRef, register_check
from skillcity.supervision.planting import (
    PLANTERS,
    case_matches,
    plant_fraud,
    read_truth,
    registrations,  # noqa: F401
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _towns(request):
    """The planters choose among the towns the migrations load; a transactional test run before these in
    the same process flushes them (tests.conftest.reference_data)."""
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("reference_data")


def _signature() -> list[tuple[str, str, str]]:
    """What was planted, independent of database ids: workers' ID numbers and birth dates, projects."""
    from skillcity.registry.models import Worker
    from skillcity.training.models import TrainingProject

    workers = [(w.id_number, str(w.birth_date), w.gender) for w in Worker.objects.order_by("id")]
    projects = [(p.name, str(p.start_date), p.provider.uscc) for p in TrainingProject.objects.order_by("id")]
    return workers + projects


def _plant(tmp_path, name: str, seed: int) -> tuple[dict, list]:
    with transaction.atomic():
        truth = plant_fraud(seed=seed, size="demo", path=tmp_path / name)
        signature = _signature()
        transaction.set_rollback(True)
    return truth, signature


def _notes(truth: dict) -> dict:
    return {
        k: ([c["note"] for c in e["cases"]], [c["note"] for c in e["near_miss"]])
        for k, e in truth["kinds"].items()
    }


def test_planting_is_deterministic_for_a_seed(tmp_path):
    first, sig1 = _plant(tmp_path, "a.json", 7)
    second, sig2 = _plant(tmp_path, "b.json", 7)
    _other, sig3 = _plant(tmp_path, "c.json", 8)
    assert sig1 == sig2 and len(sig1) > 100
    assert _notes(first) == _notes(second)
    assert sig3 != sig1


def test_planting_writes_the_documented_counts_and_the_truth_lists_every_case(tmp_path):
    from skillcity.certification.models import Session
    from skillcity.training.models import Enrolment

    path = tmp_path / "planted-truth.json"
    truth = plant_fraud(seed=3, size="demo", path=path)
    assert json.loads(path.read_text(encoding="utf-8")) == truth == read_truth(path)
    assert set(truth["kinds"]) == set(PLANTERS)
    for kind, planter in PLANTERS.items():
        entry = truth["kinds"][kind]
        cases, near = planter.counts["demo"]
        assert (len(entry["cases"]), len(entry["near_miss"])) == (cases, near), kind
        assert entry["check"] == planter.check_id
        if cases == 0:
            assert entry["skipped"], kind  # a kind not planted says why
    # Every key names a record that exists.
    ghost = truth["kinds"]["ghost"]
    ids = [c["keys"][0]["id"] for c in ghost["cases"] + ghost["near_miss"]]
    assert Enrolment.objects.filter(pk__in=ids, status="completed").count() == len(ids)
    sessions = [c["keys"][0]["id"] for c in truth["kinds"]["assessment"]["cases"]]
    assert Session.objects.filter(pk__in=sessions).count() == len(sessions)
    # The ghost cases really are outside working age, or retired, studying or dead, on the enrolment
    # date; the near-misses are neither (a status ended the day before, or begins the day after).
    from django.db.models import Q

    from skillcity.registry.models import WorkerStatus

    for case, outside in [(c, True) for c in ghost["cases"]] + [(c, False) for c in ghost["near_miss"]]:
        e = Enrolment.objects.select_related("worker").get(pk=case["keys"][0]["id"])
        years = (e.enrolled_on - e.worker.birth_date).days / 365.25
        limit = 60 if e.worker.gender == "M" else 55
        in_force = WorkerStatus.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=e.enrolled_on),
            worker=e.worker,
            valid_from__lte=e.enrolled_on,
        ).exists()
        assert (years > limit or years < 16 or in_force) == outside, case["note"]
    assert any("退休" in c["note"] for c in ghost["cases"])
    assert not truth["kinds"]["ghost"]["skipped"] and not truth["kinds"]["burst"]["skipped"]
    # Planted trainees signed in on every day of their class unless missing days is the fraud.
    from skillcity.training.models import Attendance as Signed

    for case in ghost["cases"]:
        e = Enrolment.objects.select_related("training_class").get(pk=case["keys"][0]["id"])
        days = (e.training_class.end_date - e.training_class.start_date).days + 1
        assert Signed.objects.filter(enrolment=e).count() == days
    # An employment claim: no contribution at all; its near-miss has the 6 months the rule asks.
    from skillcity.employment.models import Contribution
    from skillcity.grants.models import Application

    claims = truth["kinds"]["employment_claim"]
    for case, months in [(c, 0) for c in claims["cases"]] + [(c, 6) for c in claims["near_miss"]]:
        application = Application.objects.get(pk=case["keys"][0]["id"])
        assert application.state == "paid" and application.rule_id == "EDU-GRAD-RETENTION"
        assert Contribution.objects.filter(worker_id=application.worker_id).count() == months
    # A burst: 12 sign-ins within 40 seconds in the planted class.
    from skillcity.training.models import Attendance

    burst = truth["kinds"]["burst"]["cases"][0]["keys"][0]
    signed = sorted(
        Attendance.objects.filter(pk__in=[i for _, i in burst["same_as"]]).values_list("signed_at", flat=True)
    )
    assert len(signed) == 12 and (signed[-1] - signed[0]).total_seconds() <= 40


def test_planting_twice_is_refused_and_a_next_day_adds(tmp_path):
    from skillcity.training.models import Enrolment

    path = tmp_path / "planted-truth.json"
    plant_fraud(seed=3, size="demo", path=path)
    enrolments = Enrolment.objects.count()
    with pytest.raises(DomainError):
        plant_fraud(seed=3, size="demo", path=path)
    assert Enrolment.objects.count() == enrolments
    truth = plant_fraud(seed=3, size="day", round=1, path=path)
    assert truth["rounds"] == [0, 1]
    assert len(truth["kinds"]["ghost"]["cases"]) == PLANTERS["ghost"].counts["demo"][0] + 1
    assert Enrolment.objects.count() > enrolments


def test_a_finding_matches_a_case_by_its_keys_or_what_stands_for_them():
    case = {"keys": [{"kind": "training.enrolment", "id": 5, "same_as": [["training.settlementline", 9]]}]}
    assert case_matches(case, [{"kind": "training.enrolment", "id": 5}])
    assert case_matches(
        case, [{"kind": "training.settlementline", "id": 9}, {"kind": "registry.worker", "id": 1}]
    )
    assert not case_matches(case, [{"kind": "training.enrolment", "id": 6}])


# ---------------------------------------------------------------- bench/supervision.py

BENCH = Path(__file__).resolve().parent.parent.parent / "bench"


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_supervision", BENCH / "supervision.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


def _age_check(ctx: Context) -> list[Finding]:
    """A real (if simple) check of working age, so the scoring is measured on real alerts."""
    enrolments = ctx.frame("enrolments").join(
        ctx.frame("workers").select(pl.col("id").alias("worker_id"), "gender", "birth_date"), on="worker_id"
    )
    years = (pl.col("enrolled_on") - pl.col("birth_date")).dt.total_days() / 365.25
    limit = pl.when(pl.col("gender") == "M").then(60).otherwise(55)
    outside = enrolments.filter((years > limit) | (years < 16))
    return [
        Finding(
            records=(RecordRef("training.enrolment", row["id"]),),
            message="超出劳动年龄",
            worker_id=row["worker_id"],
        )
        for row in outside.iter_rows(named=True)
    ]


def test_bench_scores_a_check_against_the_planted_truth(tmp_path):
    """The honest background, the planted set and a real age check: every ghost found, no near-miss."""
    from skillcity.registry.generate.city import TODAY
    from skillcity.supervision.models import Alert
    from skillcity.supervision.planting.build import Plant
    from skillcity.supervision.services import supervise
    from skillcity.training.models import Attendance, Enrolment

    Plant(seed=1, kind="city", round=0, today=TODAY).workers([30 + i % 25 for i in range(400)], on=TODAY)
    made = bench.background(1, 280, 50, 40, fast=False)
    assert made["enrolments"] > 200 and made["certificates"] == 50 and made["vouchers"] == 40
    assert Attendance.objects.count() == made["attendance"] > 0
    truth = plant_fraud(seed=1, size="demo", path=tmp_path / "truth.json")
    assert Enrolment.objects.count() > made["enrolments"]  # the ORM's ids follow the bulk-written ones
    register_check(
        Check(id="TEST-AGE", title="年龄", enforces="劳动年龄", reads=("training.enrolment",), run=_age_check)
    )
    try:
        supervise(check_ids=["TEST-AGE"], full=True)
    finally:
        CHECKS.pop("TEST-AGE")
    alerts = {"SUP-GHOST": list(Alert.objects.filter(check_id="TEST-AGE").values_list("records", flat=True))}
    rows = {r["kind"]: r for r in bench.score(truth, alerts)}
    ghost = rows["ghost"]
    # An age check finds the two cases of age, not the retired trainee of working age (SUP-GHOST's
    # registry statuses): recall 2/3; it flags no near-miss.
    assert (ghost["found"], ghost["recall"], ghost["precision"], ghost["near_miss_flagged"]) == (
        2,
        2 / 3,
        1.0,
        0,
    )


def test_bench_counts_a_flagged_near_miss_as_a_false_positive():
    key = {"kind": "training.enrolment", "same_as": []}
    truth = {
        "kinds": {
            "ghost": {
                "check": "SUP-GHOST",
                "cases": [{"keys": [dict(key, id=1)]}, {"keys": [dict(key, id=2)]}],
                "near_miss": [{"keys": [dict(key, id=3)]}],
            }
        }
    }
    alerts = {
        "SUP-GHOST": [[{"kind": "training.enrolment", "id": 1}], [{"kind": "training.enrolment", "id": 3}]]
    }
    (row,) = bench.score(truth, alerts)
    assert (row["found"], row["recall"], row["precision"], row["near_miss_flagged"]) == (1, 0.5, 0.5, 1)


@pytest.mark.django_db(transaction=False)
def test_bench_script_runs_end_to_end_at_a_tiny_size(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            str(BENCH / "supervision.py"),
            "--workers",
            "400",
            "--size",
            "demo",
            "--data",
            str(tmp_path / "city"),
            "--json",
            str(tmp_path / "figures.json"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    figures = json.loads((tmp_path / "figures.json").read_text())
    assert figures["build"]["workers"] == 400
    assert figures["run"]["full_s"] >= 0 and figures["run"]["incremental_s"] >= 0
    assert {r["kind"] for r in figures["run"]["score"]} == set(PLANTERS)
    assert "full run:" in out.stdout and "incremental run" in out.stdout


def test_the_demo_plants_a_small_set_once_and_runs_the_checks(tmp_path, settings):
    import io

    from skillcity.accounts.models import User
    from skillcity.grants.models import Recovery
    from skillcity.supervision.demo import supervision_demo
    from skillcity.supervision.models import Alert, AlertState, PaymentHold, Run
    from skillcity.supervision.planting import planted_rounds
    from skillcity.training.models import Enrolment

    settings.DATA_DIR = tmp_path
    for name in ("bureau", "bureau2"):
        User.objects.create(username=name, role="bureau_officer")
    out = io.StringIO()
    started = time.monotonic()
    supervision_demo(5, out)
    assert time.monotonic() - started < 60  # the demo step (about 20 s on a quiet machine)
    truth = read_truth(tmp_path / "planted-truth.json")
    assert planted_rounds() == {0} and truth["rounds"] == [0]
    assert {k: len(e["cases"]) for k, e in truth["kinds"].items()} == {
        k: p.counts["demo"][0] for k, p in PLANTERS.items()
    }
    assert Run.objects.filter(full=True, status=Run.Status.DONE).count() == 1
    assert "supervision workflow" in out.getvalue()
    # The workflow moved a few alerts: assigned, investigating, confirmed with a hold and a recovery
    # (through grants' ledger), dismissed with a reason.
    states = {s: Alert.objects.filter(state=s).count() for s in AlertState.values}
    assert states[AlertState.ASSIGNED] >= 2 and states[AlertState.INVESTIGATING] == 1, states
    assert states[AlertState.CONFIRMED] == 1 and states[AlertState.DISMISSED] == 1, states
    confirmed = Alert.objects.get(state=AlertState.CONFIRMED)
    assert PaymentHold.objects.filter(alert=confirmed, released_at__isnull=True).count() == 1
    recovery = Recovery.objects.get(reference=f"supervision.alert:{confirmed.pk}")
    assert recovery.application.worker_id == confirmed.worker_id
    assert Alert.objects.get(state=AlertState.DISMISSED).decision_reason
    enrolments = Enrolment.objects.count()
    supervision_demo(5, out)  # a second start of the demo: nothing more
    assert Enrolment.objects.count() == enrolments and Run.objects.count() == 1
