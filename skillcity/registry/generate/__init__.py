"""A deterministic synthetic Dongguan: organisations, workers and their skill records.

Same seed, same city: every random draw comes from numpy generators seeded with (seed, part,
chunk) (`city.py`). Columns are built with numpy and loaded in large batches while the next batch
is generated in a second process (`load.py`), so the city scale (1.4 million workers) loads in
well under half a minute. Shares follow the 2023 baselines of policy-catalog §11: 34.14% of
skilled workers are high-skilled (level 3 or higher).

A generation run writes one audit row summarising it, not one per generated record: it is a bulk
load of synthetic data, not a person's change to a real record.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from skillcity.core.audit import audit_record
from skillcity.registry.generate import city, load
from skillcity.registry.models import Industry, Occupation, Organisation, SkillRecord, Town, Worker

SCALES = city.SCALES

__all__ = ["SCALES", "GenerateResult", "generate_city"]


@dataclass(frozen=True)
class GenerateResult:
    organisations: int
    workers: int
    skill_records: int
    seconds: float

    @property
    def workers_per_second(self) -> float:
        return self.workers / self.seconds if self.seconds else 0.0


def _next_id(model: Any) -> int:
    last = model.objects.order_by("-id").values_list("id", flat=True).first()
    return (last or 0) + 1


def _reset_sequences() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in ("registry_worker", "registry_skillrecord", "registry_organisation"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"
            )


def generate_city(
    *,
    seed: int,
    scale: str,
    progress: bool = True,
    workers: int | None = None,
    organisations: int | None = None,
    chunk_size: int = city.CHUNK,
) -> GenerateResult:
    """Build the synthetic city into the (empty) registry."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}")
    n_workers, n_orgs = SCALES[scale]
    n_workers = workers if workers is not None else n_workers
    n_orgs = organisations if organisations is not None else n_orgs
    towns = list(Town.objects.order_by("sort_order", "code"))
    industries = list(Industry.objects.order_by("sort_order", "code"))
    occupations = list(Occupation.objects.filter(has_levels=True).order_by("code"))
    if not towns or not industries or not occupations:
        raise RuntimeError("reference data missing: run `skillcity migrate` first")
    started = time.perf_counter()
    now = timezone.now().isoformat()
    first_worker, first_record = _next_id(Worker), _next_id(SkillRecord)
    orgs = city.organisations(seed, n_orgs, towns, industries, first_id=_next_id(Organisation))
    records = 0
    with tempfile.TemporaryDirectory(prefix="skillcity-generate-") as staging_dir:

        def make() -> Iterator[load.LoadPayload]:
            chunks = city.worker_chunks(
                seed=seed,
                total=n_workers,
                chunk_size=chunk_size,
                first_id=first_worker,
                first_record_id=first_record,
                towns=towns,
                orgs=orgs,
                occupations=occupations,
            )
            return load.payloads(chunks, vendor=connection.vendor, staging_dir=Path(staging_dir), now=now)

        # The child process starts before the progress bar (its refresh thread must not be
        # running when the process forks) and generates workers while the organisations are written.
        bar = _progress(progress)
        with load.produced(make, chunks=-(-n_workers // chunk_size)) as loaded, bar:
            org_task = bar.add_task("单位 organisations", total=n_orgs)
            with transaction.atomic():
                Organisation.objects.bulk_create(orgs, batch_size=1000)
            bar.update(org_task, completed=n_orgs)
            worker_task = bar.add_task("劳动者 workers", total=n_workers)
            with load.bulk_load_pragmas():
                for payload in loaded:
                    load.write_payload(payload, now=now)
                    records += payload.records
                    bar.update(worker_task, advance=payload.workers)
            _reset_sequences()
    seconds = time.perf_counter() - started
    result = GenerateResult(len(orgs), n_workers, records, seconds)
    with transaction.atomic():
        audit_record(
            actor="generate",
            action="registry.generate",
            target_type="registry.city",
            target_id=seed,
            after={
                "seed": seed,
                "scale": scale,
                "organisations": result.organisations,
                "workers": result.workers,
                "skill_records": result.skill_records,
            },
        )
    return result


def _progress(enabled: bool) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
    )
