"""Planted fraud (issue 20 §4): deterministic from the seed, the documented counts, every case and
near-miss in the truth file (kept out of the tables), and a round planted once only."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from skillcity.core.errors import DomainError
from skillcity.supervision.planting import (
    PLANTERS,
    case_matches,
    plant_fraud,
    read_truth,
    registrations,  # noqa: F401
)

pytestmark = pytest.mark.django_db


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
    # The ghost cases really are outside working age on the enrolment date; the near-misses inside.
    for case, outside in [(c, True) for c in ghost["cases"]] + [(c, False) for c in ghost["near_miss"]]:
        e = Enrolment.objects.select_related("worker").get(pk=case["keys"][0]["id"])
        years = (e.enrolled_on - e.worker.birth_date).days / 365.25
        limit = 60 if e.worker.gender == "M" else 55
        assert (years > limit or years < 16) == outside, case["note"]
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
