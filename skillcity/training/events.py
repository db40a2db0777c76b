"""The training app's stored events, offered to the policy what-if simulation (`skillcity simulate
--source training`): every enrolment completed in the period as a TRN-PROJECT case, and those who
obtained a skill-level certificate as a TRN-UPSKILL case (shortage catalog of the completion year)."""

from __future__ import annotations

import datetime

import polars as pl


def training_events(date_from: datetime.date, date_to: datetime.date) -> pl.DataFrame:
    from skillcity.training.models import Enrolment, ShortageCatalogEntry

    shortage = set(ShortageCatalogEntry.objects.values_list("year", "occupation_id"))
    rows = Enrolment.objects.filter(
        status=Enrolment.Status.COMPLETED, completed_on__gte=date_from, completed_on__lte=date_to
    ).values_list(
        "completed_on",
        "town__name",
        "certified_level",
        "training_class__project__per_person_standard",
        "training_class__project__occupation_id",
    )
    data: dict[str, list[object]] = {
        k: []
        for k in (
            "rule",
            "date",
            "town",
            "project_standard",
            "completed",
            "certificate_kind",
            "level",
            "in_shortage_catalog",
        )
    }

    def add(rule: str, day: datetime.date, town: str, **facts: object) -> None:
        data["rule"].append(rule)
        data["date"].append(day)
        data["town"].append(town)
        for key in ("project_standard", "completed", "certificate_kind", "level", "in_shortage_catalog"):
            data[key].append(facts.get(key))

    for day, town, level, standard, occupation in rows.iterator(chunk_size=5000):
        if day is None:  # a completed enrolment always has its date; the column is nullable before completion
            continue
        add("TRN-PROJECT", day, town, project_standard=str(standard), completed=True)
        if level is not None:
            add(
                "TRN-UPSKILL",
                day,
                town,
                certificate_kind="skill_level",
                level=level,
                in_shortage_catalog=(day.year, occupation) in shortage,
            )
    return pl.DataFrame(
        data,
        schema={
            "rule": pl.Utf8,
            "date": pl.Date,
            "town": pl.Utf8,
            "project_standard": pl.Utf8,
            "completed": pl.Boolean,
            "certificate_kind": pl.Utf8,
            "level": pl.Int64,
            "in_shortage_catalog": pl.Boolean,
        },
    )


def register() -> None:
    from skillcity.policy.simulate import register_event_source

    register_event_source("training", training_events, label="职业培训（已结业的培训记录）")
