"""What training led to, from the records: a certificate in the project's occupation and an insured
month within N months of completion; per provider and per project; an unknowable outcome left out."""

from __future__ import annotations

import datetime

import pytest

from skillcity.timeline.selectors.outcomes import add_months, training_outcomes
from tests.employment.helpers import contribute
from tests.factories import WorkerFactory
from tests.timeline.conftest import certify_on, enrol_and_complete

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


def test_add_months_keeps_the_day_or_the_month_end():
    assert add_months(datetime.date(2025, 5, 31), 6) == datetime.date(2025, 11, 30)
    assert add_months(datetime.date(2025, 8, 31), 6) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2025, 1, 15), 12) == datetime.date(2026, 1, 15)


def test_each_trainee_counts_as_the_records_say(
    training_class, evaluator, lathe, changan, changan_enterprise, bureau_officer
):
    # The evaluator is the enterprise's own (it certifies its employees in lathe work).
    both, neither, before, late, edge = (
        WorkerFactory(town=changan, employer=changan_enterprise) for _ in range(5)
    )
    for w in (both, neither, before, late, edge):
        enrol_and_complete(training_class, w)  # completed 2025-05-31: the window ends 2025-11-30
    certify_on(evaluator, lathe, both, bureau_officer, datetime.date(2025, 6, 20))
    contribute(both, changan_enterprise, "2025-07", 3)
    certify_on(evaluator, lathe, before, bureau_officer, datetime.date(2025, 1, 15))  # before the training
    certify_on(evaluator, lathe, late, bureau_officer, datetime.date(2025, 12, 1))  # a day after the window
    contribute(late, changan_enterprise, "2025-12", 1)  # the 7th month after the completion month
    certify_on(evaluator, lathe, edge, bureau_officer, datetime.date(2025, 11, 30))  # the window's last day
    contribute(edge, changan_enterprise, "2025-11", 1)  # the 6th month after

    (row,) = training_outcomes(year=2025, months=6, today=TODAY)
    assert row.name == training_class.project.provider.name
    assert (row.trainees, row.certified, row.employed) == (5, 2, 2)
    assert (row.certified_known, row.employed_known, row.pending) == (5, 5, 0)
    assert str(row.certified_share) == "0.4000" and str(row.employed_share) == "0.4000"
    (by_project,) = training_outcomes(year=2025, months=12, group="project", today=TODAY)
    assert by_project.name == training_class.project.name
    assert (by_project.certified, by_project.employed) == (3, 3)  # 12 months: the late one counts


def test_an_outcome_not_yet_knowable_is_left_out_of_the_shares(training_class, changan, changan_enterprise):
    recent, employed = WorkerFactory(town=changan), WorkerFactory(town=changan)
    enrol_and_complete(training_class, recent, completed_on=datetime.date(2025, 11, 20))
    enrol_and_complete(training_class, employed, completed_on=datetime.date(2025, 3, 1))
    contribute(employed, changan_enterprise, "2025-04", 9)  # the ledger runs to 2025-12
    (row,) = training_outcomes(year=2025, months=6, today=datetime.date(2026, 1, 10))
    # recent: the certificate window ends 2026-05-20 (after today), employment 2026-05 (after the ledger)
    assert (row.trainees, row.certified_known, row.employed_known, row.pending) == (2, 1, 1, 1)
    assert row.employed == 1 and str(row.employed_share) == "1.0000"


def test_failed_and_ongoing_trainees_and_other_years_are_not_counted(training_class, changan):
    enrol_and_complete(training_class, WorkerFactory(town=changan), passed=False)
    enrol_and_complete(training_class, WorkerFactory(town=changan), completed_on=datetime.date(2026, 2, 1))
    assert training_outcomes(year=2025, months=6, today=TODAY) == []
    assert training_outcomes(year=2026, months=6, today=TODAY)[0].trainees == 1


def test_a_town_sees_its_own_trainees_only(training_class, changan, humen):
    enrol_and_complete(training_class, WorkerFactory(town=changan))
    assert training_outcomes(year=2025, town_id=changan.pk, today=TODAY)[0].trainees == 1
    assert training_outcomes(year=2025, town_id=humen.pk, today=TODAY) == []


def test_a_job_held_through_the_training_is_employed_but_not_newly_employed(
    training_class, changan, changan_enterprise, humen
):
    from tests.factories import OrganisationFactory

    kept, moved, found = (WorkerFactory(town=changan) for _ in range(3))
    for w in (kept, moved, found):
        enrol_and_complete(training_class, w)  # enrolled 2025-02-01, completed 2025-05-31
    contribute(kept, changan_enterprise, "2025-01", 11)  # insured since before enrolment, still there
    contribute(moved, changan_enterprise, "2025-01", 3)  # left, then a new employer after the training
    contribute(moved, OrganisationFactory(town=humen), "2025-07", 3)
    contribute(found, changan_enterprise, "2025-02", 10)  # began in the enrolment month: a new job
    (row,) = training_outcomes(year=2025, months=6, today=TODAY)
    assert (row.employed, row.newly_employed, row.employed_known) == (3, 2, 3)
    assert str(row.newly_employed_share) == "0.6667"
