#!/usr/bin/env python3
"""bench/supervision: every supervision check over a city-scale SQLite database with fraud planted.

    .venv/bin/python bench/supervision.py [--workers N] [--seed S] [--data DIR] [--json FILE]

Build (skipped when DIR already holds a built city, so a second run reuses it): migrate a fresh SQLite
file in DIR, generate the synthetic city (N workers, `skillcity generate`'s generator), then write the
honest background the checks read, in proportion to N as the issue sizes the city (1.4 million
workers: about 1 million training enrolments with their sign-ins, 170,000 certificates, a year of
vouchers): --enrolments (0.71 N), --certificates (0.12 N), --vouchers (0.1 N); then plant the fraud
(`plant_fraud`, size "city"; the truth in DIR/planted-truth.json).

Run, in a fresh process (its peak RSS is the run's): `supervise(full=True)` timed, peak memory by
getrusage (and tracemalloc's peak of Python allocations with --tracemalloc, which slows the run);
then one more day of fraud planted (round 1) and the incremental run (`supervise()`) timed.

Scored per check against the planted truth: a planted case is found when an alert of its check names
its key records (or a record that stands for them, supervision.planting.case_matches); recall = cases
found / cases; precision = alerts matching a case / alerts of the check (an alert on a near-miss is a
false positive, counted apart too). A kind whose check is not registered says so.
Targets (issue 20 §4): recall >= 95% and precision >= 90% per check; full run <= 60 s on SQLite
(2 cores); incremental <= 5 s.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = Path(sys.executable)  # the interpreter running the bench (the project's .venv, run as documented)
CITY_WORKERS = 1_400_000
BUILT = "bench-supervision-built.json"  # written in DIR once the city is complete
DAYS = 5  # days of each background class (one sign-in a day per trainee)
PER_CLASS = 40


def _django(data: str) -> None:
    os.environ["SKILLCITY_DATA_DIR"] = data
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ---------------------------------------------------------------- build (a child process)


def _insert(model: Any, columns: list[str], rows: list[tuple[Any, ...]], batch: int = 20_000) -> None:
    from django.db import connection

    table = model._meta.db_table
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({", ".join(["%s"] * len(columns))})'
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])


def _next_id(model: Any) -> int:
    return (model.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1


def _reset_sequences(models: list[Any]) -> None:
    """PostgreSQL: the sequences past the ids written explicitly (SQLite follows MAX(id) itself)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"
            )


def background(
    seed: int, enrolments: int, certificates: int, vouchers: int, *, fast: bool = True
) -> dict[str, int]:
    """Honest records: training classes with enrolments and daily sign-ins, settled TRN-UPSKILL for the
    certified; assessment sessions with spread scores and certificates; vouchers redeemed near home.
    Each worker trains at most once, so the honest set has no repeat subsidy and no overlap."""
    import numpy as np
    from django.db import transaction
    from django.utils import timezone

    from skillcity.certification.models import Candidate, Certificate, Evaluator, EvaluatorKind, Session
    from skillcity.registry.generate.city import TODAY
    from skillcity.registry.generate.load import bulk_load_pragmas
    from skillcity.registry.models import Occupation, Town, Worker
    from skillcity.supervision.planting.build import Plant
    from skillcity.training.models import (
        Attendance,
        Enrolment,
        Redemption,
        Settlement,
        SettlementLine,
        TrainingClass,
        TrainingProject,
        Voucher,
        VoucherBatch,
    )

    rng = np.random.default_rng([seed, 20])
    plant = Plant(seed=seed, kind="background", round=0, today=TODAY)
    towns = list(Town.objects.order_by("sort_order", "code"))
    occupations = list(
        Occupation.objects.filter(has_levels=True).order_by("code").values_list("id", flat=True)
    )
    workers = np.array(
        Worker.objects.order_by("id").values_list("id", "town_id", "gender", "birth_date"), dtype=object
    )
    ids, homes = workers[:, 0].astype(np.int64), workers[:, 1].astype(np.int64)
    ages = np.array([(TODAY - b).days / 365.25 for b in workers[:, 3]])
    limit = np.where(workers[:, 2] == "M", 59.0, 54.0)
    eligible = np.flatnonzero((ages < limit) & (ages > 17.5))
    adults = ids[np.flatnonzero((ages < limit) & (ages > 20))]  # of working age all the past year and more
    start_of_year = TODAY - datetime.timedelta(days=365)
    made: dict[str, int] = {}
    with transaction.atomic():
        providers = {t.pk: [plant.organisation(town=t) for _ in range(4)] for t in towns}
        evaluators = [
            Evaluator.objects.create(
                organisation=plant.organisation(town=t),
                kind=EvaluatorKind.SOCIAL_ORGANISATION,
                state=Evaluator.State.ACTIVE,
                filed_at=timezone.now(),
                organisation_code=f"{i:04d}",
                site_serial=f"{i:06d}",
            )
            for i, t in enumerate(towns * 2)
        ]
        batch = VoucherBatch.objects.create(
            name=f"{TODAY.year}年职业技能培训券",
            face_value=500,
            valid_from=start_of_year,
            valid_to=TODAY + datetime.timedelta(days=30),
        )
    pragmas = bulk_load_pragmas() if fast else contextlib.nullcontext()
    with pragmas, transaction.atomic():
        # Training: classes of PER_CLASS trainees of one town, DAYS days, started over the past year.
        n = min(enrolments, len(eligible))
        trainees = rng.choice(eligible, size=n, replace=False)
        order = np.argsort(homes[trainees], kind="stable")
        trainees = trainees[order]
        classes = -(-n // PER_CLASS)
        project_id, class_id = _next_id(TrainingProject), _next_id(TrainingClass)
        starts = [start_of_year + datetime.timedelta(days=int(d)) for d in rng.integers(0, 350, classes)]
        class_town = [int(homes[trainees[min(c * PER_CLASS, n - 1)]]) for c in range(classes)]
        class_provider = [providers[t][int(rng.integers(0, 4))].pk for t in class_town]
        class_occupation = [occupations[int(i)] for i in rng.integers(0, len(occupations), classes)]
        now = timezone.now()
        _insert(
            TrainingProject,
            [
                "id",
                "provider_id",
                "name",
                "occupation_id",
                "level",
                "per_person_standard",
                "capacity",
                "start_date",
                "end_date",
                "town_id",
                "created_at",
            ],
            [
                (
                    project_id + c,
                    class_provider[c],
                    "技能提升培训",
                    class_occupation[c],
                    4,
                    "1500.00",
                    PER_CLASS,
                    starts[c],
                    starts[c] + datetime.timedelta(days=DAYS - 1),
                    class_town[c],
                    now,
                )
                for c in range(classes)
            ],
        )
        _insert(
            TrainingClass,
            ["id", "project_id", "name", "start_date", "end_date", "site"],
            [
                (
                    class_id + c,
                    project_id + c,
                    f"{starts[c]:%Y%m}期",
                    starts[c],
                    starts[c] + datetime.timedelta(days=DAYS - 1),
                    "",
                )
                for c in range(classes)
            ],
        )
        enrolment_id = _next_id(Enrolment)
        certified = rng.random(n) < 0.6
        scores = np.round(rng.uniform(62, 96, n), 1)
        rows = []
        for i in range(n):
            c = i // PER_CLASS
            done = starts[c] <= TODAY - datetime.timedelta(days=DAYS)
            rows.append(
                (
                    enrolment_id + i,
                    class_id + c,
                    class_provider[c],
                    int(ids[trainees[i]]),
                    class_town[c],
                    "completed" if done else "enrolled",
                    starts[c] - datetime.timedelta(days=3),
                    starts[c] + datetime.timedelta(days=DAYS - 1) if done else None,
                    f"{scores[i]:.1f}" if done else None,
                    False,
                    4 if done and certified[i] else None,
                )
            )
        _insert(
            Enrolment,
            [
                "id",
                "training_class_id",
                "provider_id",
                "worker_id",
                "town_id",
                "status",
                "enrolled_on",
                "completed_on",
                "assessment_score",
                "trainee_is_provider_employee",
                "certified_level",
            ],
            rows,
        )
        made["enrolments"] = n
        # One sign-in a day, at 08:00 plus a drawn second of the first half hour, from the trainee's own
        # phone (its device id, and a mobile network address of its own).
        seconds = rng.integers(0, 1800, n * DAYS)
        octets = rng.integers(1, 255, (n, 3))
        attendance = []
        for i in range(n):
            c = i // PER_CLASS
            for d in range(DAYS):
                day = starts[c] + datetime.timedelta(days=d)
                if day > TODAY:
                    break
                at = datetime.datetime.combine(
                    day, datetime.time(8), tzinfo=datetime.UTC
                ) + datetime.timedelta(seconds=int(seconds[i * DAYS + d]))
                address = "117.{}.{}.{}".format(*octets[i])
                attendance.append((enrolment_id + i, day, at, f"android-{ids[trainees[i]]:x}", address))
        _insert(Attendance, ["enrolment_id", "day", "signed_at", "device_id", "client_address"], attendance)
        made["attendance"] = len(attendance)
        # The certified are paid TRN-UPSKILL once, in their provider's half-year settlement.
        settlements: dict[tuple[int, str], int] = {}
        lines = []
        for i, (row) in enumerate(rows):
            if row[10] is None:
                continue
            period = f"{row[7].year}H{1 if row[7].month <= 6 else 2}"
            key = (row[2], period)
            if key not in settlements:
                settlements[key] = Settlement.objects.create(
                    provider_id=row[2], period=period, status=Settlement.Status.PAID, paid_at=now
                ).pk
            lines.append((settlements[key], enrolment_id + i, row[3], "TRN-UPSKILL", "provider", "1500.00"))
        _insert(
            SettlementLine,
            ["settlement_id", "enrolment_id", "worker_id_ref", "rule", "payee", "amount"],
            lines,
        )
        made["settlement_lines"] = len(lines)
        # Assessment: sessions of 30, about 85% passing with spread scores; a certificate for each pass.
        sessions = -(-certificates // 25)
        session_id, candidate_id = _next_id(Session), _next_id(Candidate)
        # Sessions of this calendar year up to the city's day: a year cut short at its start (sessions
        # only from late November on) would be bunched in December for SUP-THRESHOLD, rightly.
        new_year = datetime.date(TODAY.year, 1, 1)
        span = (TODAY - new_year).days
        days = [new_year + datetime.timedelta(days=int(d)) for d in rng.integers(0, span, sessions)]
        session_eval = rng.integers(0, len(evaluators), sessions)
        session_occ = [occupations[int(i)] for i in rng.integers(0, len(occupations), sessions)]
        _insert(
            Session,
            [
                "id",
                "evaluator_id",
                "occupation_id",
                "direction",
                "level",
                "kind",
                "date",
                "site",
                "state",
                "created_at",
            ],
            [
                (
                    session_id + s,
                    evaluators[int(session_eval[s])].pk,
                    session_occ[s],
                    "",
                    int(4 + s % 2),
                    "grading",
                    days[s],
                    "考核站",
                    "certified",
                    now,
                )
                for s in range(sessions)
            ],
        )
        if len(adults) >= sessions * 30:  # everyone assessed once
            people = rng.choice(adults, size=sessions * 30, replace=False)
        else:  # a small city: distinct within each session
            people = np.concatenate([rng.choice(adults, size=30, replace=False) for _ in range(sessions)])
        theory = np.round(rng.normal(75, 11, sessions * 30).clip(30, 99), 1)
        practical = np.round(rng.normal(76, 10, sessions * 30).clip(30, 99), 1)
        candidates, certs = [], []
        names = dict(Worker.objects.values_list("id", "name")) if len(ids) <= 200_000 else None
        for k in range(sessions * 30):
            s = k // 30
            passed = theory[k] >= 60 and practical[k] >= 60
            candidates.append(
                (
                    candidate_id + k,
                    session_id + s,
                    int(people[k]),
                    f"{theory[k]:.1f}",
                    f"{practical[k]:.1f}",
                    f"{(theory[k] + practical[k]) / 2:.1f}",
                    "passed" if passed else "failed",
                    "",
                    "",
                )
            )
            if passed and len(certs) < certificates:
                number = f"B{k:021d}"
                certs.append(
                    (
                        number,
                        candidate_id + k,
                        int(people[k]),
                        evaluators[int(session_eval[s])].pk,
                        session_occ[s],
                        int(4 + s % 2),
                        days[s],
                        names.get(int(people[k]), "") if names else "",
                        number,
                        "k1",
                        "valid",
                        "",
                    )
                )
        _insert(
            Candidate,
            [
                "id",
                "session_id",
                "worker_id",
                "theory_score",
                "practical_score",
                "overall_score",
                "result",
                "exceptional_grounds",
                "exceptional_note",
            ],
            candidates,
        )
        _insert(
            Certificate,
            [
                "number",
                "candidate_id",
                "worker_id",
                "evaluator_id",
                "occupation_id",
                "level",
                "issued_on",
                "holder_name",
                "qr_token",
                "key_id",
                "status",
                "revoked_reason",
            ],
            certs,
        )
        made["certificates"] = len(certs)
        # Vouchers: redeemed over the year at a provider of the holder's own town, at drawn times.
        holders = rng.choice(adults, size=min(vouchers, len(adults)), replace=False)
        voucher_id = _next_id(Voucher)
        holder_town = dict(zip(ids.tolist(), homes.tolist(), strict=True))
        _insert(
            Voucher,
            [
                "id",
                "code",
                "worker_id",
                "batch_id",
                "town_id",
                "face_value",
                "valid_from",
                "valid_to",
                "state",
                "reversal_count",
            ],
            [
                (
                    voucher_id + i,
                    f"V{i:011d}",
                    int(w),
                    batch.pk,
                    holder_town[int(w)],
                    "500.00",
                    batch.valid_from,
                    batch.valid_to,
                    "redeemed",
                    0,
                )
                for i, w in enumerate(holders)
            ],
        )
        offsets = rng.integers(0, 360 * 86400, len(holders))
        _insert(
            Redemption,
            ["voucher_id", "round", "provider_id", "idempotency_key", "amount", "redeemed_at"],
            [
                (
                    voucher_id + i,
                    0,
                    providers[holder_town[int(w)]][i % 4].pk,
                    f"k{i}",
                    "500.00",
                    datetime.datetime.combine(start_of_year, datetime.time(8), tzinfo=datetime.UTC)
                    + datetime.timedelta(seconds=int(offsets[i])),
                )
                for i, w in enumerate(holders)
            ],
        )
        made["vouchers"] = len(holders)
        _reset_sequences(
            [
                TrainingProject,
                TrainingClass,
                Enrolment,
                Attendance,
                SettlementLine,
                Session,
                Candidate,
                Certificate,
                Voucher,
                Redemption,
            ]
        )
    return made


def build(args: argparse.Namespace) -> dict[str, Any]:
    _django(args.data)
    from django.core.management import call_command

    from skillcity.registry.generate import generate_city
    from skillcity.supervision.planting import plant_fraud

    figures: dict[str, Any] = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    figures["migrate_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    result = generate_city(
        seed=args.seed,
        scale="city",
        progress=False,
        workers=args.workers,
        organisations=max(50, args.workers // 280),
    )
    figures["generate_s"] = round(time.perf_counter() - started, 1)
    figures["workers"] = result.workers
    started = time.perf_counter()
    figures["background"] = background(
        args.seed,
        int(args.workers * args.enrolments),
        int(args.workers * args.certificates),
        int(args.workers * args.vouchers),
    )
    figures["background_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    truth = plant_fraud(seed=args.seed, size=args.size)
    figures["plant_s"] = round(time.perf_counter() - started, 1)
    figures["planted"] = {k: [len(e["cases"]), len(e["near_miss"])] for k, e in truth["kinds"].items()}
    (Path(args.data) / BUILT).write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return figures


# ---------------------------------------------------------------- run and score (a child process)


def score(truth: dict[str, Any], alerts: dict[str, list[list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    """Per planted kind: its check's recall and precision (see the module's docstring)."""
    from skillcity.supervision.planting import case_matches

    rows = []
    for kind, entry in sorted(truth["kinds"].items()):
        check = entry["check"]
        row: dict[str, Any] = {
            "kind": kind,
            "check": check,
            "cases": len(entry["cases"]),
            "near_miss": len(entry["near_miss"]),
            "skipped": entry.get("skipped", []),
        }
        if check not in alerts:
            row["note"] = f"no check registered for kind {kind} ({check})"
            rows.append(row)
            continue
        found = alerts[check]
        row["alerts"] = len(found)
        row["found"] = sum(any(case_matches(c, r) for r in found) for c in entry["cases"])
        true_alerts = sum(any(case_matches(c, r) for c in entry["cases"]) for r in found)
        row["near_miss_flagged"] = sum(any(case_matches(c, r) for r in found) for c in entry["near_miss"])
        row["recall"] = row["found"] / row["cases"] if row["cases"] else None
        row["precision"] = true_alerts / len(found) if found else None
        rows.append(row)
    return rows


def run(args: argparse.Namespace) -> dict[str, Any]:
    _django(args.data)
    import tracemalloc

    from skillcity.supervision import registrations  # noqa: F401  (every check registered)
    from skillcity.supervision.checks import CHECKS
    from skillcity.supervision.models import Alert
    from skillcity.supervision.planting import plant_fraud, read_truth
    from skillcity.supervision.services import supervise

    figures: dict[str, Any] = {"checks": sorted(CHECKS)}
    if args.tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    full = supervise(full=True)
    figures["full_s"] = round(time.perf_counter() - started, 2)
    figures["full_counts"] = full.counts
    if args.tracemalloc:
        figures["tracemalloc_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    truth = read_truth(Path(args.data) / "planted-truth.json")
    alerts: dict[str, list[list[dict[str, Any]]]] = {c: [] for c in CHECKS}
    for check_id, records in Alert.objects.values_list("check_id", "records").iterator():
        alerts.setdefault(check_id, []).append(records)
    figures["score"] = score(truth, alerts)
    # One more day: a day's fraud planted after the full run, and the incremental run over it.
    next_round = max(truth["rounds"]) + 1
    started = time.perf_counter()
    plant_fraud(seed=args.seed, size="day", round=next_round)
    figures["plant_day_s"] = round(time.perf_counter() - started, 2)
    before = Alert.objects.order_by("-id").values_list("id", flat=True).first() or 0
    started = time.perf_counter()
    incremental = supervise()
    figures["incremental_s"] = round(time.perf_counter() - started, 2)
    figures["incremental_counts"] = incremental.counts
    # The day's cases against the alerts the incremental run raised.
    day = read_truth(Path(args.data) / "planted-truth.json")
    for entry in day["kinds"].values():
        entry["cases"] = [c for c in entry["cases"] if c.get("round") == next_round]
        entry["near_miss"] = [c for c in entry["near_miss"] if c.get("round") == next_round]
    raised: dict[str, list[list[dict[str, Any]]]] = {c: [] for c in CHECKS}
    for check_id, records in (
        Alert.objects.filter(id__gt=before).values_list("check_id", "records").iterator()
    ):
        raised.setdefault(check_id, []).append(records)
    figures["incremental_score"] = score(day, raised)
    return figures


# ---------------------------------------------------------------- the driver


def _child(phase: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [str(PY), __file__, "--phase", phase, *_passed(args)]
    out = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        sys.stderr.write(out.stdout + out.stderr)
        raise SystemExit(f"{phase} failed (exit {out.returncode})")
    line = next(line for line in reversed(out.stdout.splitlines()) if line.startswith("RESULT "))
    figures: dict[str, Any] = json.loads(line[len("RESULT ") :])
    return figures


def _passed(args: argparse.Namespace) -> list[str]:
    return [
        "--workers",
        str(args.workers),
        "--seed",
        str(args.seed),
        "--data",
        args.data,
        "--size",
        args.size,
        "--enrolments",
        str(args.enrolments),
        "--certificates",
        str(args.certificates),
        "--vouchers",
        str(args.vouchers),
        *(["--tracemalloc"] if args.tracemalloc else []),
    ]


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def report(built: dict[str, Any], ran: dict[str, Any]) -> None:
    print(f"city: {built['workers']:,} workers; background {built['background']}")
    print(
        f"build: migrate {built.get('migrate_s', '?')} s, generate {built['generate_s']} s, background {built['background_s']} s, "
        f"plant {built['plant_s']} s"
    )
    print(f"checks registered: {', '.join(ran['checks']) or 'none'}")
    print(
        f"full run: {ran['full_s']} s (target <= 60 s), peak RSS {ran['peak_rss_mib']} MiB"
        + (f", tracemalloc peak {ran['tracemalloc_peak_mib']} MiB" if "tracemalloc_peak_mib" in ran else "")
    )
    print(f"incremental run over one more day: {ran['incremental_s']} s (target <= 5 s)")
    print(
        f"{'kind':<18}{'check':<22}{'cases':>6}{'found':>7}{'alerts':>8}{'recall':>9}{'precision':>11}{'near-miss hit':>15}"
    )
    for row in ran["score"]:
        if "note" in row:
            print(f"{row['kind']:<18}{row['check']:<22}{row['cases']:>6}  {row['note']}")
            continue
        ok = (row["recall"] or 0) >= 0.95 and (row["precision"] or 0) >= 0.90
        print(
            f"{row['kind']:<18}{row['check']:<22}{row['cases']:>6}{row['found']:>7}{row['alerts']:>8}"
            f"{_percent(row['recall']):>9}{_percent(row['precision']):>11}{row['near_miss_flagged']:>15}"
            f"  {'ok' if ok else 'BELOW TARGET'}"
        )
    if "incremental_score" in ran:
        day = [
            f"{r['kind']} {r['found']}/{r['cases']}"
            + (f" (+{r['alerts'] - r['found']} alerts)" if r["alerts"] > r["found"] else "")
            for r in ran["incremental_score"]
            if "note" not in r and r["cases"]
        ]
        print(f"incremental run, the day's cases found: {', '.join(day)}")
    for row in ran["score"]:
        for note in row["skipped"]:
            print(f"  not planted ({row['kind']}): {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=CITY_WORKERS, help="workers in the city (1,400,000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--data", help="the data folder: reused when it holds a built city (default: a new one in /tmp)"
    )
    parser.add_argument("--size", default="city", choices=["city", "demo"], help="the planted set's size")
    parser.add_argument("--enrolments", type=float, default=0.71, help="training enrolments per worker")
    parser.add_argument("--certificates", type=float, default=0.12, help="certificates per worker")
    parser.add_argument("--vouchers", type=float, default=0.1, help="vouchers redeemed per worker")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slower)")
    parser.add_argument("--json", help="write the figures to this file too")
    parser.add_argument("--phase", choices=["build", "run"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        figures = build(args) if args.phase == "build" else run(args)
        print("RESULT " + json.dumps(figures, ensure_ascii=False, default=str))
        return 0
    args.data = args.data or f"/tmp/bench-supervision-{args.workers}-{args.seed}"
    Path(args.data).mkdir(parents=True, exist_ok=True)
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"date {time.strftime('%Y-%m-%d')}; data {args.data}"
    )
    marker = Path(args.data) / BUILT
    if marker.exists():
        built = json.loads(marker.read_text(encoding="utf-8"))
        print("reusing the built city (delete the folder to build afresh)")
    else:
        built = _child("build", args)
    ran = _child("run", args)
    report(built, ran)
    if args.json:
        Path(args.json).write_text(
            json.dumps({"build": built, "run": ran}, ensure_ascii=False, indent=1, default=str)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
