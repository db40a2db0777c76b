"""/api/v1/schools/{pk}/grad-retention: EDU-GRAD-RETENTION for a cohort, the same as the page: each
graduate of a year read from records with why, and one call to apply for every eligible graduate."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from skillcity.core.bounds import Id, Year
from skillcity.core.schemas import InputSchema
from skillcity.schools.api import _school
from skillcity.schools.services import retention

router = Router(tags=["schools"])


class SchoolCohortLineOut(Schema):
    graduation_id: int
    worker_id: int
    name: str
    major: str
    graduated_on: datetime.date
    employer_name: str | None
    employment_start: datetime.date | None
    insured_months: int | None
    employer_in_dongguan: bool | None
    status: str
    status_name: str
    reasons: list[str]
    amount: str
    application_id: int | None


class SchoolCohortApplyIn(InputSchema):
    year: Year


def _out(lines: list[retention.Line]) -> list[dict[str, Any]]:
    out = []
    for line in lines:
        spell = line.reading.spell
        out.append(
            {
                "graduation_id": line.graduation.pk,
                "worker_id": line.graduation.worker_id,
                "name": line.graduation.worker.name,
                "major": line.graduation.major.name,
                "graduated_on": line.graduation.graduated_on,
                "employer_name": spell.employer_name if spell else None,
                "employment_start": spell.start if spell else None,
                "insured_months": spell.months if spell else None,
                "employer_in_dongguan": spell.in_dongguan if spell else None,
                "status": line.status,
                "status_name": line.status_label,
                "reasons": line.reasons,
                "amount": line.amount,
                "application_id": line.application.pk if line.application else None,
            }
        )
    return out


@router.get(
    "/{pk}/grad-retention",
    response=list[SchoolCohortLineOut],
    summary="EDU-GRAD-RETENTION: a year's graduates, each read from records, with why",
)
def cohort(request: HttpRequest, pk: Id, year: Year) -> Any:
    return _out(retention.cohort(_school(request, pk)[1], year))


@router.post(
    "/{pk}/grad-retention/apply",
    response=list[SchoolCohortLineOut],
    summary="EDU-GRAD-RETENTION: apply for every eligible graduate of a year in one call",
)
def cohort_apply(request: HttpRequest, pk: Id, payload: SchoolCohortApplyIn) -> Any:
    user, school = _school(request, pk)
    return _out(retention.cohort_apply(actor=user, school=school, year=payload.year))
