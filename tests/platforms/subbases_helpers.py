"""Helpers of the sub-base tests: a recognised sub-base (the enterprise persona's organisation), a
year's quota and a course run as a training class with a roster of completed trainees."""

from __future__ import annotations

import datetime
from typing import Any

from skillcity.platforms.services import subbases as services
from skillcity.training.services.projects import enrolment_complete, enrolment_create
from tests.factories import OccupationFactory, WorkerFactory

YEAR = 2025
RECOGNISED_ON = datetime.date(2024, 3, 1)
START, END = datetime.date(2025, 3, 1), datetime.date(2025, 4, 30)
ACCEPTED_ON = datetime.date(2025, 5, 10)


def recognised_subbase(bureau: Any, organisation_user: Any) -> Any:
    subbase = services.subbase_apply(
        actor=organisation_user, name="长安精密制造实训分基地", direction="数控加工"
    )
    return services.subbase_recognise(actor=bureau, subbase=subbase, recognised_on=RECOGNISED_ON)


def running_course(
    bureau: Any, organisation_user: Any, subbase: Any, *, places: int = 30, category: str = "B"
) -> Any:
    services.quota_set(actor=bureau, year=YEAR, places=3000)
    allocation = services.allocation_create(
        actor=bureau, subbase=subbase, year=YEAR, places=places, course_name="五轴数控加工", category=category
    )
    return services.allocation_class_open(
        actor=organisation_user,
        allocation=allocation,
        occupation=OccupationFactory(),
        start_date=START,
        end_date=END,
    )


def roster(allocation: Any, actor: Any, *, completed: int, failed: int = 0, enrolled: int = 0) -> None:
    """Enrol trainees in the course's class: `completed` finish it, `failed` fail, `enrolled` stay in training."""
    town = allocation.subbase.organisation.town
    for i in range(completed + failed + enrolled):
        enrolment = enrolment_create(
            training_class=allocation.training_class,
            worker=WorkerFactory(town=town),
            enrolled_on=START,
            actor=actor,
        )
        if i < completed + failed:
            enrolment_complete(
                enrolment=enrolment,
                completed_on=END,
                passed=i < completed,
                assessment_score=None,
                certified_level=None,
                actor=actor,
            )
