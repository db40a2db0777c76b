"""bench/policy: 1,000,000 mixed TRN-PROJECT and TRN-UPSKILL cases, vectorised against one-at-a-time.

    .venv/bin/python bench/policy.py [--cases 1000000] [--one-at-a-time N]

Targets (issue 3): ≥ 1,000,000 cases/s vectorised and ≥ 50× the one-at-a-time path. Both paths run on the
same cases in one run; by default the one-at-a-time path runs over every case too (pass a smaller
--one-at-a-time to time it on the first N cases only — the output then says it was a sample). The
answers of the two paths are compared case by case on every case both evaluated.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
if "SKILLCITY_DATA_DIR" not in os.environ:
    os.environ["SKILLCITY_DATA_DIR"] = tempfile.mkdtemp(prefix="skillcity-bench-policy-")

import django

django.setup()

from skillcity.policy.batch import evaluate_table  # noqa: E402
from skillcity.policy.engine import evaluate, load_rules  # noqa: E402


def make_cases(n: int, seed: int = 2026) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Half TRN-PROJECT, half TRN-UPSKILL, dates over 2022–2025, standards around the 3000 cap."""
    rng = np.random.default_rng(seed)
    n_project = n // 2
    n_upskill = n - n_project
    start = datetime.date(2022, 1, 1)
    days = (datetime.date(2025, 12, 31) - start).days + 1

    def dates(k: int) -> pl.Series:
        offset = (start - datetime.date(1970, 1, 1)).days
        return pl.Series("date", rng.integers(0, days, k) + offset).cast(pl.Int32).cast(pl.Date)

    standard_fen = rng.integers(50_000, 400_001, n_project)
    project = pl.DataFrame(
        {
            "date": dates(n_project),
            "project_standard": pl.Series((standard_fen // 100).astype(np.int64)),  # whole yuan, exact
            "completed": rng.random(n_project) < 0.9,
        }
    )
    kinds = rng.choice(["skill_level", "special_ability", "special_operation"], n_upskill, p=[0.8, 0.1, 0.1])
    levels = rng.integers(1, 6, n_upskill)
    upskill = pl.DataFrame(
        {
            "date": dates(n_upskill),
            "certificate_kind": kinds,
            "level": pl.Series(levels).cast(pl.Int64),
            "in_shortage_catalog": rng.random(n_upskill) < 0.3,
        }
    ).with_columns(pl.when(pl.col("certificate_kind") == "skill_level").then(pl.col("level")).alias("level"))
    return project, upskill


def one_at_a_time(rule_id: str, frame: pl.DataFrame) -> list[int | None]:
    amounts: list[int | None] = []
    for row in frame.iter_rows(named=True):
        day = row.pop("date")
        facts = {k: v for k, v in row.items() if v is not None}
        o = evaluate(rule_id, day, facts)
        amounts.append(None if o.amount is None else int(o.amount * 100))
    return amounts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument(
        "--one-at-a-time", type=int, default=None, help="time the slow path on the first N cases"
    )
    args = parser.parse_args()
    load_rules()

    project, upskill = make_cases(args.cases)
    print(f"cases: {args.cases:,} ({project.height:,} TRN-PROJECT, {upskill.height:,} TRN-UPSKILL)")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, polars {pl.__version__}"
    )

    evaluate_table("TRN-PROJECT", project.head(1000))  # warm-up: expression building, imports
    t0 = time.perf_counter()
    vp = evaluate_table("TRN-PROJECT", project)
    vu = evaluate_table("TRN-UPSKILL", upskill)
    vector_s = time.perf_counter() - t0
    vector_rate = args.cases / vector_s
    print(f"vectorised:      {vector_s:8.3f} s  {vector_rate:12,.0f} cases/s")

    k = args.one_at_a_time or args.cases
    kp, ku = min(k // 2, project.height), min(k - k // 2, upskill.height)
    t0 = time.perf_counter()
    sp = one_at_a_time("TRN-PROJECT", project.head(kp))
    su = one_at_a_time("TRN-UPSKILL", upskill.head(ku))
    single_s = time.perf_counter() - t0
    single_rate = (kp + ku) / single_s
    sample = "" if kp + ku == args.cases else f" (timed on {kp + ku:,} of {args.cases:,} cases)"
    print(f"one-at-a-time:   {single_s:8.3f} s  {single_rate:12,.0f} cases/s{sample}")

    mismatches = sum(a != b for a, b in zip(sp, vp["amount_fen"].head(kp).to_list(), strict=True))
    mismatches += sum(a != b for a, b in zip(su, vu["amount_fen"].head(ku).to_list(), strict=True))
    print(
        f"agreement:       {kp + ku - mismatches:,} of {kp + ku:,} cases give the same amount ({mismatches} differ)"
    )
    print(f"ratio:           {vector_rate / single_rate:,.0f}× (target ≥ 50×)")
    print(
        f"targets:         vectorised ≥ 1,000,000 cases/s: {'met' if vector_rate >= 1_000_000 else 'NOT met'}; "
        f"≥ 50×: {'met' if vector_rate / single_rate >= 50 else 'NOT met'}"
    )
    print(f"peak RSS:        {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    if mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
