"""The tables checks read, as polars frames, each loaded once a run.

`query_frame(queryset, columns)` runs the queryset's own SQL through Django's connection and builds
the frame from the rows (no ORM objects): a million enrolments load in seconds. Each frame is a named
loader registered here; a check asks the context for it by name.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db import connection
from django.db.models import QuerySet

from skillcity.supervision.checks import register_frame

BATCH = 50_000


def query_frame(queryset: QuerySet[Any], columns: dict[str, Any]) -> pl.DataFrame:
    """`columns`: {name: polars dtype}, in the order of `queryset.values_list(...)`'s fields."""
    sql, params = queryset.query.sql_with_params()
    names = list(columns)
    chunks: list[pl.DataFrame] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(BATCH):
            chunks.append(pl.DataFrame(rows, schema=columns, orient="row"))
    if not chunks:
        return pl.DataFrame(schema=columns)
    frame = pl.concat(chunks) if len(chunks) > 1 else chunks[0]
    return frame.select(names)


def _workers() -> pl.DataFrame:
    from skillcity.registry.models import Worker

    return query_frame(
        Worker.objects.values_list("id", "gender", "birth_date", "town_id", "employer_id"),
        {
            "id": pl.Int64,
            "gender": pl.Utf8,
            "birth_date": pl.Date,
            "town_id": pl.Int64,
            "employer_id": pl.Int64,
        },
    )


def _enrolments() -> pl.DataFrame:
    from skillcity.training.models import Enrolment

    return query_frame(
        Enrolment.objects.order_by().values_list(
            "id",
            "worker_id",
            "provider_id",
            "training_class_id",
            "training_class__project_id",
            "town_id",
            "status",
            "enrolled_on",
            "completed_on",
        ),
        {
            "id": pl.Int64,
            "worker_id": pl.Int64,
            "provider_id": pl.Int64,
            "class_id": pl.Int64,
            "project_id": pl.Int64,
            "town_id": pl.Int64,
            "status": pl.Utf8,
            "enrolled_on": pl.Date,
            "completed_on": pl.Date,
        },
    )


register_frame("workers", _workers)
register_frame("enrolments", _enrolments)
