"""bench/policy: 1,000,000 mixed TRN-PROJECT and TRN-UPSKILL cases, vectorised against one-at-a-time,
and side by side with the same two rules written as an OpenFisca tax-benefit system.

    .venv/bin/python bench/policy.py [--cases 1000000] [--one-at-a-time N] [--repeat 5]
    .venv-bench/bin/python bench/policy.py …     # the same, with the OpenFisca half (see below)

Targets (issue 3): ≥ 1,000,000 cases/s vectorised and ≥ 50× the one-at-a-time path. Both paths run on the
same cases in one run; by default the one-at-a-time path runs over every case too (pass a smaller
--one-at-a-time to time it on the first N cases only — the output then says it was a sample). The
answers of the two paths are compared case by case on every case both evaluated.

Target (issue 14): the vectorised path (exact integer fen, a dated parameter version per row) at ≥ 1.0×
OpenFisca's rate on the same cases. OpenFisca is for benchmarks only, never a dependency of the
platform (decision D-27); without it this half is skipped with a note. To run it, make a separate
virtual environment (never the project's .venv):

    python3 -m venv .venv-bench
    .venv-bench/bin/pip install --require-hashes -r requirements.lock
    .venv-bench/bin/pip install --no-deps --no-build-isolation -e .
    .venv-bench/bin/pip install -e '.[bench]'      # openfisca-core, pinned in pyproject.toml

The OpenFisca system is bench/openfisca_system.py. OpenFisca evaluates one period per simulation, so
the dated cases are evaluated as one simulation per period (the coarsest of year, month, day inside
which none of the two rules' parameters changes), and what is timed is the whole loop: grouping the
cases by period, building each simulation, setting its inputs, calculating, and putting the answers
back in case order. Its inputs are prepared as numpy arrays before the clock starts (yuan as float,
the certificate kind as the enum's integer codes), as SkillCity's table is made before its clock. For
reference the output also gives OpenFisca over every case in ONE simulation of one period, which
ignores the cases' dates (here it gives the same answers only because the two rules' values do not
change between 2022 and 2025). Each side is timed --repeat times, alternately; the figures are the
medians (and the best).
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
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # openfisca_system, beside this file
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
if "SKILLCITY_DATA_DIR" not in os.environ:
    os.environ["SKILLCITY_DATA_DIR"] = tempfile.mkdtemp(prefix="skillcity-bench-policy-")

import django

django.setup()

from skillcity.policy import params as P  # noqa: E402
from skillcity.policy.batch import evaluate_table  # noqa: E402
from skillcity.policy.engine import evaluate, load_rules  # noqa: E402

try:  # only in the bench environment (see above); never installed with the platform
    import openfisca_core
except ImportError:
    openfisca_core = None


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


def skillcity_vectorised(project: pl.DataFrame, upskill: pl.DataFrame) -> tuple[float, pl.Series, pl.Series]:
    t0 = time.perf_counter()
    vp = evaluate_table("TRN-PROJECT", project)
    vu = evaluate_table("TRN-UPSKILL", upskill)
    return time.perf_counter() - t0, vp["amount_fen"], vu["amount_fen"]


def openfisca_inputs(project: pl.DataFrame, upskill: pl.DataFrame) -> dict[str, Any]:
    """The cases as OpenFisca takes them: numpy vectors, yuan as float, the kind as the enum's codes."""
    import openfisca_system as O

    return {
        "project_days": project["date"].cast(pl.Int32).to_numpy(),
        "project": {
            "project_standard": project["project_standard"].to_numpy().astype(np.float32),
            "completed": project["completed"].to_numpy(),
        },
        "upskill_days": upskill["date"].cast(pl.Int32).to_numpy(),
        "upskill": {
            "certificate_kind": upskill["certificate_kind"]
            .replace_strict(O.KIND_CODES, return_dtype=pl.Int16)
            .to_numpy(),
            "level": upskill["level"].fill_null(0).to_numpy().astype(np.int32),
            "in_shortage_catalog": upskill["in_shortage_catalog"].to_numpy(),
        },
    }


def openfisca_by_period(system: Any, unit: str, inputs: dict[str, Any]) -> tuple[float, Any, Any, int]:
    """Both rules, one OpenFisca simulation per period the cases fall in; (seconds, amounts, amounts, sims)."""
    import openfisca_system as O

    t0 = time.perf_counter()
    ap, np_ = O.evaluate_by_period(system, unit, inputs["project_days"], inputs["project"], "trn_project")
    au, nu = O.evaluate_by_period(system, unit, inputs["upskill_days"], inputs["upskill"], "trn_upskill")
    return time.perf_counter() - t0, ap, au, np_ + nu


def openfisca_one_period(system: Any, period: str, inputs: dict[str, Any]) -> tuple[float, Any, Any]:
    """Both rules over every case in one simulation of one period (the cases' dates ignored)."""
    import openfisca_system as O

    t0 = time.perf_counter()
    ap = O.simulate(system, period, inputs["project"], "trn_project")
    au = O.simulate(system, period, inputs["upskill"], "trn_upskill")
    return time.perf_counter() - t0, ap, au


def fen_mismatches(skillcity_fen: pl.Series, openfisca_yuan: Any) -> tuple[int, list[tuple[int, Any, Any]]]:
    """Cases whose OpenFisca amount, rounded to the fen, is not SkillCity's (no amount = 0 in OpenFisca)."""
    ours = skillcity_fen.fill_null(0).to_numpy()
    theirs = np.rint(openfisca_yuan.astype(np.float64) * 100).astype(np.int64)
    differ = np.flatnonzero(ours != theirs)
    return len(differ), [(int(i), int(ours[i]), float(openfisca_yuan[i])) for i in differ[:5]]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument(
        "--one-at-a-time", type=int, default=None, help="time the slow path on the first N cases"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="time the vectorised path and OpenFisca this many times each"
    )
    args = parser.parse_args()
    load_rules()

    project, upskill = make_cases(args.cases)
    print(f"cases: {args.cases:,} ({project.height:,} TRN-PROJECT, {upskill.height:,} TRN-UPSKILL)")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"polars {pl.__version__}, numpy {np.__version__}"
        + (f", openfisca-core {version('openfisca-core')}" if openfisca_core else "")
    )
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    system = None
    if openfisca_core is None:
        print(
            "openfisca: not installed, the OpenFisca half is skipped. It is for benchmarks only: see "
            "`bench/policy.py --help` for the separate environment that has it."
        )
    else:
        import openfisca_system as O

        ps = P.parameters()
        unit = O.period_unit(ps)
        system = O.build_system(ps, unit)
        inputs = openfisca_inputs(project, upskill)
        print(
            f"openfisca: one simulation per {unit} (the parameters change only on "
            f"{', '.join(d.isoformat() for d in O.boundaries(ps))})"
        )
        O.simulate(system, "2024", {k: v[:1000] for k, v in inputs["project"].items()}, "trn_project")

    evaluate_table("TRN-PROJECT", project.head(1000))  # warm-up: expression building, imports
    evaluate_table("TRN-UPSKILL", upskill.head(1000))
    vector_times: list[float] = []
    of_times: list[float] = []
    of_one_times: list[float] = []
    for _ in range(args.repeat):  # alternately, so that a burst of load falls on both sides alike
        seconds, vp, vu = skillcity_vectorised(project, upskill)
        vector_times.append(seconds)
        if system is not None:
            seconds, op, ou, simulations = openfisca_by_period(system, unit, inputs)
            of_times.append(seconds)
            seconds, op1, ou1 = openfisca_one_period(system, "2024", inputs)
            of_one_times.append(seconds)
    vector_s = median(vector_times)
    vector_rate = args.cases / vector_s
    print(
        f"vectorised:      {vector_s:8.3f} s  {vector_rate:12,.0f} cases/s  "
        f"(median of {len(vector_times)}; best {args.cases / min(vector_times):,.0f}/s)"
    )

    k = args.one_at_a_time or args.cases
    kp, ku = min(k // 2, project.height), min(k - k // 2, upskill.height)
    t0 = time.perf_counter()
    sp = one_at_a_time("TRN-PROJECT", project.head(kp))
    su = one_at_a_time("TRN-UPSKILL", upskill.head(ku))
    single_s = time.perf_counter() - t0
    single_rate = (kp + ku) / single_s
    sample = "" if kp + ku == args.cases else f" (timed on {kp + ku:,} of {args.cases:,} cases)"
    print(f"one-at-a-time:   {single_s:8.3f} s  {single_rate:12,.0f} cases/s{sample}")

    mismatches = sum(a != b for a, b in zip(sp, vp.head(kp).to_list(), strict=True))
    mismatches += sum(a != b for a, b in zip(su, vu.head(ku).to_list(), strict=True))
    print(
        f"agreement:       {kp + ku - mismatches:,} of {kp + ku:,} cases give the same amount ({mismatches} differ)"
    )
    print(f"ratio:           {vector_rate / single_rate:,.0f}× (target ≥ 50×)")
    print(
        f"targets:         vectorised ≥ 1,000,000 cases/s: {'met' if vector_rate >= 1_000_000 else 'NOT met'}; "
        f"≥ 50×: {'met' if vector_rate / single_rate >= 50 else 'NOT met'}"
    )

    of_mismatches = 0
    if system is not None:
        of_s, of_one_s = median(of_times), median(of_one_times)
        of_rate, of_one_rate = args.cases / of_s, args.cases / of_one_s
        print(
            f"openfisca:       {of_s:8.3f} s  {of_rate:12,.0f} evaluations/s  ({simulations} simulations, one "
            f"per {unit} per rule; median of {len(of_times)}; best {args.cases / min(of_times):,.0f}/s)"
        )
        print(
            f"openfisca, one period for every case (dates ignored): {of_one_s:.3f} s  {of_one_rate:,.0f} "
            f"evaluations/s (median; best {args.cases / min(of_one_times):,.0f}/s)"
        )
        bad_p, first_p = fen_mismatches(vp, op)
        bad_u, first_u = fen_mismatches(vu, ou)
        of_mismatches = bad_p + bad_u
        print(
            f"openfisca agreement: {args.cases - of_mismatches:,} of {args.cases:,} cases give SkillCity's "
            f"amount to the fen ({of_mismatches} differ)"
        )
        for rule_id, first in (("TRN-PROJECT", first_p), ("TRN-UPSKILL", first_u)):
            for i, fen, yuan in first:
                print(f"  {rule_id} case {i}: SkillCity {fen} fen, OpenFisca {yuan!r} yuan")
        one_period_differ = fen_mismatches(vp, op1)[0] + fen_mismatches(vu, ou1)[0]
        print(
            f"openfisca one-period agreement: {args.cases - one_period_differ:,} of {args.cases:,} "
            f"({one_period_differ} differ; not a check of OpenFisca: the cases' dates were ignored)"
        )
        ratio = vector_rate / of_rate
        print(
            f"ratio to openfisca: {ratio:.2f}× (dated, one simulation per {unit}); "
            f"{vector_rate / of_one_rate:.2f}× (one period)"
        )
        print(
            f"target:          vectorised ≥ 1.0× OpenFisca with exact fen and per-row dates: "
            f"{'met' if ratio >= 1.0 else 'NOT met'} against the dated run, "
            f"{'met' if vector_rate / of_one_rate >= 1.0 else 'NOT met'} against the one-period run"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"peak RSS:        {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    if mismatches or of_mismatches:
        sys.exit(1)


if __name__ == "__main__":
    main()
