"""The tables checks A read (issue 20 §1: SUP-GHOST, SUP-TWICE, SUP-NO-ATTENDANCE, SUP-EMPLOYMENT-CLAIM,
SUP-THRESHOLD, SUP-LEARNING), as polars frames loaded once a run, plus `worker_labels` for the few
workers a finding names. JSON facts are read as text (`KT`) so SQLite and PostgreSQL give the same."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from django.db import connection
from django.db.models import Count, F
from django.db.models.fields.json import KT

from skillcity.supervision.checks import register_frame
from skillcity.supervision.checks.frames import query_frame

CHUNK = 2000  # ids a query (SQLite's bound parameters)


def worker_labels(ids: Iterable[int]) -> dict[int, str]:
    """ "张某某（男，1962-05-01生）" for the workers a finding names: the surname and the rest masked."""
    from skillcity.registry.models import Worker

    wanted = sorted({int(i) for i in ids if i is not None})
    out: dict[int, str] = {}
    for start in range(0, len(wanted), CHUNK):
        rows = Worker.objects.filter(pk__in=wanted[start : start + CHUNK]).values_list("pk", "name")
        out.update({pk: masked_name(name) for pk, name in rows})
    return out


def masked_name(name: str) -> str:
    return name[:1] + "某" * max(len(name) - 1, 1) if name else ""


def _worker_statuses() -> pl.DataFrame:
    from skillcity.registry.models import WorkerStatus

    return query_frame(
        WorkerStatus.objects.order_by().values_list(
            "id", "worker_id", "kind", "valid_from", "valid_to", "created_at"
        ),
        {
            "id": pl.Int64,
            "worker_id": pl.Int64,
            "kind": pl.Utf8,
            "valid_from": pl.Date,
            "valid_to": pl.Date,
            "created_at": pl.Datetime,
        },
    )


def _certificates() -> pl.DataFrame:
    from skillcity.certification.models import Certificate

    return query_frame(
        Certificate.objects.order_by().values_list(
            "id",
            "number",
            "worker_id",
            "evaluator_id",
            "evaluator__organisation_id",
            "evaluator__organisation__town_id",
            "evaluator__kind",
            "occupation_id",
            "level",
            "issued_on",
            "status",
        ),
        {
            "id": pl.Int64,
            "number": pl.Utf8,
            "worker_id": pl.Int64,
            "evaluator_id": pl.Int64,
            "organisation_id": pl.Int64,
            "town_id": pl.Int64,
            "evaluator_kind": pl.Utf8,
            "occupation_id": pl.Int64,
            "level": pl.Int64,
            "issued_on": pl.Date,
            "status": pl.Utf8,
        },
    )


def _applications() -> pl.DataFrame:
    """Every application with the facts checks A read (as text) and the money: paid, else decided,
    else requested."""
    from skillcity.grants.models import Application

    return query_frame(
        Application.objects.order_by()
        .annotate(
            f_level=KT("facts__level"),
            f_kind=KT("facts__certificate_kind"),
            f_occupation=KT("facts__occupation_code"),
            f_employment_start=KT("facts__employment_start"),
            f_insured_months=KT("facts__same_employer_continuous_insured_months"),
            paid=F("payment__amount"),
        )
        .values_list(
            "id",
            "rule_id",
            "organisation_id",
            "worker_id",
            "town_id",
            "event_date",
            "state",
            "f_level",
            "f_kind",
            "f_occupation",
            "f_employment_start",
            "f_insured_months",
            "paid",
            "decided_amount",
            "requested_amount",
            "source_key",
            "created_at",
        ),
        {
            "id": pl.Int64,
            "rule_id": pl.Utf8,
            "organisation_id": pl.Int64,
            "worker_id": pl.Int64,
            "town_id": pl.Int64,
            "event_date": pl.Date,
            "state": pl.Utf8,
            "level": pl.Utf8,
            "certificate_kind": pl.Utf8,
            "occupation_code": pl.Utf8,
            "employment_start": pl.Utf8,
            "insured_months": pl.Utf8,
            "paid": pl.Decimal(14, 2),
            "decided": pl.Decimal(14, 2),
            "requested": pl.Decimal(14, 2),
            "source_key": pl.Utf8,
            "created_at": pl.Datetime,
        },
    )


def _settlement_lines() -> pl.DataFrame:
    from skillcity.training.models import SettlementLine

    return query_frame(
        SettlementLine.objects.order_by().values_list(
            "id",
            "settlement_id",
            "settlement__period",
            "settlement__status",
            "settlement__provider_id",
            "settlement__created_at",
            "enrolment_id",
            "worker_id_ref",
            "rule",
            "payee",
            "amount",
            "enrolment__completed_on",
            "enrolment__certified_level",
            "enrolment__training_class__project__occupation_id",
            "enrolment__town_id",
        ),
        {
            "id": pl.Int64,
            "settlement_id": pl.Int64,
            "period": pl.Utf8,
            "settlement_status": pl.Utf8,
            "provider_id": pl.Int64,
            "created_at": pl.Datetime,
            "enrolment_id": pl.Int64,
            "worker_id": pl.Int64,
            "rule": pl.Utf8,
            "payee": pl.Utf8,
            "amount": pl.Decimal(12, 2),
            "completed_on": pl.Date,
            "level": pl.Int64,
            "occupation_id": pl.Int64,
            "town_id": pl.Int64,
        },
    )


def _attendance_days() -> pl.DataFrame:
    """Days signed in per enrolment, and when the last sign-in was written (for incremental runs)."""
    from django.db.models import Max

    from skillcity.training.models import Attendance

    # SQLite gives an aggregate of a datetime column as text (the column's type is lost): parse it.
    text = connection.vendor == "sqlite"
    frame = query_frame(
        Attendance.objects.order_by()
        .values("enrolment_id")
        .annotate(days=Count("id"), last_signed=Max("signed_at"))
        .values_list("enrolment_id", "days", "last_signed"),
        {"enrolment_id": pl.Int64, "days": pl.Int64, "last_signed": pl.Utf8 if text else pl.Datetime},
    )
    if text:
        frame = frame.with_columns(pl.col("last_signed").str.to_datetime(time_zone=None, strict=False))
    return frame


def _signals() -> pl.DataFrame:
    from skillcity.learning.models import Signal

    return query_frame(
        Signal.objects.order_by().values_list(
            "id",
            "worker_id",
            "kind",
            "lesson__course_id",
            "lesson__course__provider_id",
            "lesson__course__provider__town_id",
            "detected_at",
        ),
        {
            "id": pl.Int64,
            "worker_id": pl.Int64,
            "kind": pl.Utf8,
            "course_id": pl.Int64,
            "provider_id": pl.Int64,
            "town_id": pl.Int64,
            "detected_at": pl.Datetime,
        },
    )


register_frame("worker_statuses", _worker_statuses)
register_frame("certificates", _certificates)
register_frame("applications", _applications)
register_frame("settlement_lines", _settlement_lines)
register_frame("attendance_days", _attendance_days)
register_frame("signals", _signals)
