"""The tables checks B read (issue 20 §1: schedules, sign-in bursts, vouchers, assessments).

Money is read as text (a cast in SQL) and turned into Decimal where a finding sums it: no floats for
money. Scores are not money and are read as numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import polars as pl
from django.db.models import CharField, F
from django.db.models.functions import Cast

from skillcity.supervision.checks import register_frame
from skillcity.supervision.checks.frames import query_frame


def money(value: Any) -> Decimal:
    """A money column's text as Decimal to the cent (SQLite may print 2500.0, PostgreSQL 2500.00)."""
    if value is None or value == "":
        return Decimal("0")
    return Decimal(str(value)).quantize(Decimal("0.01"))


def money_sum(values: Iterable[Any]) -> Decimal:
    return sum((money(v) for v in values), Decimal("0"))


def _organisations() -> pl.DataFrame:
    from skillcity.registry.models import Organisation

    return query_frame(
        Organisation.objects.order_by().values_list("id", "town_id", "name"),
        {"id": pl.Int64, "town_id": pl.Int64, "name": pl.Utf8},
    )


def _classes() -> pl.DataFrame:
    """Classes, shared by every check that reads them (SUP-NO-ATTENDANCE too: one "classes" frame)."""
    from skillcity.training.models import TrainingClass

    return query_frame(
        TrainingClass.objects.order_by()
        .annotate(standard=Cast(F("project__per_person_standard"), CharField()))
        .values_list(
            "id",
            "name",
            "project_id",
            "project__name",
            "project__provider_id",
            "project__town_id",
            "standard",
            "teacher_id",
            "site",
            "session_start",
            "session_end",
            "start_date",
            "end_date",
        ),
        {
            "id": pl.Int64,
            "name": pl.Utf8,
            "project_id": pl.Int64,
            "project_name": pl.Utf8,
            "provider_id": pl.Int64,
            "town_id": pl.Int64,
            "standard": pl.Utf8,
            "teacher_id": pl.Int64,
            "site": pl.Utf8,
            "session_start": pl.Time,
            "session_end": pl.Time,
            "start_date": pl.Date,
            "end_date": pl.Date,
        },
    )


def _attendance() -> pl.DataFrame:
    from skillcity.training.models import Attendance

    return query_frame(
        Attendance.objects.order_by().values_list(
            "id",
            "enrolment_id",
            "enrolment__training_class_id",
            "enrolment__worker_id",
            "day",
            "signed_at",
            "device_id",
            "client_address",
        ),
        {
            "id": pl.Int64,
            "enrolment_id": pl.Int64,
            "class_id": pl.Int64,
            "worker_id": pl.Int64,
            "day": pl.Date,
            "signed_at": pl.Datetime("us"),
            "device_id": pl.Utf8,
            "client_address": pl.Utf8,
        },
    )


def _redemptions() -> pl.DataFrame:
    """Redemptions not taken back, with the worker behind each voucher."""
    from skillcity.training.models import Redemption

    return query_frame(
        Redemption.objects.order_by()
        .filter(reversal__isnull=True)
        .annotate(money=Cast(F("amount"), CharField()))
        .values_list(
            "id", "voucher_id", "voucher__code", "voucher__worker_id", "provider_id", "money", "redeemed_at"
        ),
        {
            "id": pl.Int64,
            "voucher_id": pl.Int64,
            "code": pl.Utf8,
            "worker_id": pl.Int64,
            "provider_id": pl.Int64,
            "amount": pl.Utf8,
            "redeemed_at": pl.Datetime("us"),
        },
    )


def _candidates() -> pl.DataFrame:
    """Candidates with a recorded result, with their session's evaluator, occupation and level."""
    from skillcity.certification.models import Candidate

    return query_frame(
        Candidate.objects.order_by()
        .exclude(result=Candidate.Result.PENDING)
        .values_list(
            "id",
            "session_id",
            "worker_id",
            "theory_score",
            "practical_score",
            "result",
            "session__evaluator_id",
            "session__evaluator__organisation_id",
            "session__evaluator__organisation__town_id",
            "session__occupation_id",
            "session__level",
            "session__date",
            "session__created_at",
        ),
        {
            "id": pl.Int64,
            "session_id": pl.Int64,
            "worker_id": pl.Int64,
            "theory": pl.Float64,
            "practical": pl.Float64,
            "result": pl.Utf8,
            "evaluator_id": pl.Int64,
            "organisation_id": pl.Int64,
            "town_id": pl.Int64,
            "occupation_id": pl.Int64,
            "level": pl.Int64,
            "date": pl.Date,
            "created_at": pl.Datetime("us"),
        },
    )


register_frame("organisations", _organisations)
register_frame("classes", _classes)
register_frame("attendance", _attendance)
register_frame("redemptions", _redemptions)
register_frame("candidates", _candidates)
