"""Loading the reference data files (towns, industries, occupations) into the registry."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import transaction

DATA_DIR = Path(__file__).resolve().parent / "data"

# model name → (file, key field, fields to load, converters)
_FILES: dict[str, tuple[str, list[str]]] = {
    "Town": ("towns.csv", ["name", "name_en", "kind", "sort_order"]),
    "Industry": ("industries.csv", ["name", "name_en", "kind", "dongguan_group", "sort_order"]),
    "Occupation": ("occupations.csv", ["name", "name_en", "programme", "has_levels"]),
}


def _convert(field: str, raw: str) -> Any:
    if field == "sort_order":
        return int(raw)
    if field == "has_levels":
        return raw.strip().lower() == "true"
    return raw.strip()


def read_rows(model_name: str) -> list[dict[str, Any]]:
    filename, fields = _FILES[model_name]
    with open(DATA_DIR / filename, encoding="utf-8-sig", newline="") as handle:
        return [
            {"code": row["code"].strip(), **{f: _convert(f, row[f]) for f in fields}}
            for row in csv.DictReader(handle)
        ]


def load_reference_data(apps: Any = None, *, actor: Any = None) -> dict[str, dict[str, int]]:
    """Upsert every reference file by code. With `apps` (a migration) no audit row is written:
    the historical models cannot reach the audit service; `skillcity load_reference` audits."""
    from skillcity.core.audit import audit_record

    report: dict[str, dict[str, int]] = {}
    with transaction.atomic():
        for model_name in _FILES:
            model = apps.get_model("registry", model_name) if apps else _live_model(model_name)
            existing = {obj.code: obj for obj in model.objects.all()}
            created = updated = 0
            for row in read_rows(model_name):
                obj = existing.get(row["code"])
                if obj is None:
                    model.objects.create(**row)
                    created += 1
                    continue
                changed = {k: v for k, v in row.items() if getattr(obj, k) != v}
                if changed:
                    before = {k: getattr(obj, k) for k in changed}
                    for k, v in changed.items():
                        setattr(obj, k, v)
                    obj.save(update_fields=list(changed))
                    updated += 1
                    if apps is None:
                        audit_record(
                            actor=actor or "load_reference",
                            action="reference.update",
                            target=obj,
                            before=before,
                            after=changed,
                        )
            report[model_name] = {"created": created, "updated": updated}
        if apps is None and any(sum(c.values()) for c in report.values()):
            audit_record(
                actor=actor or "load_reference",
                action="reference.load",
                target_type="registry.reference",
                target_id="all",
                after=report,
            )
    return report


def _live_model(name: str) -> Any:
    from skillcity.registry import models

    return getattr(models, name)
