#!/usr/bin/env python3
"""bench/learning_fold: what the minutely progress fold costs, apart from the web server.

    .venv/bin/python bench/learning_fold.py [--learners N] [--minutes M] [--only sqlite|postgres]
                                            [--profile]

For each database (a fresh SQLite file; a throw-away PostgreSQL server, bench/_common.py): the same
catalogue and N learners as bench/learning (one enrolment each), then M minutes of their log written
straight into the statement table (each learner two `progressed` heartbeats a minute, 30 s apart, as
bench/learning's load sends them), all settled. Then `progress_aggregate` folds it one minute at a
time, as the task worker does every minute, and each minute's fold is reported: wall time, the
folding process's CPU and, on PostgreSQL, the CPU of its server backend (from /proc), apart. The
first minute creates the lesson-progress rows; the later ones update them (the steady state).
--profile: the last minute under cProfile, by function (own time).

The fold runs beside the web server on the same two cores, so its CPU a minute is what the server
loses (docs/learning.md "Where the cost goes").
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import PY, ROOT, postgres_database

BEATS_A_MINUTE = 2


def _backend_cpu(pid: int | None) -> float:
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fold_minutes(out: str, minutes: int, profile: bool) -> None:
    """In a child process: write the log, then fold it minute by minute; the figures to `out`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
    sys.path.insert(0, str(ROOT))
    import datetime
    import uuid

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from skillcity.learning.models import Enrolment, Lesson, Statement, Verb
    from skillcity.learning.services.progress import progress_aggregate

    first_lesson = dict(Lesson.objects.filter(position=1).values_list("course_id", "pk"))
    learners = [(w, first_lesson[c]) for w, c in Enrolment.objects.values_list("worker_id", "course_id")]
    start = timezone.now() - datetime.timedelta(minutes=minutes + 1)
    written = time.perf_counter()
    for minute in range(minutes):
        batch = []
        for i, (worker_id, lesson_id) in enumerate(learners):
            for beat in range(BEATS_A_MINUTE):
                n = minute * BEATS_A_MINUTE + beat
                stored = start + datetime.timedelta(seconds=minute * 60 + beat * 30 + i % 30)
                batch.append(
                    Statement(
                        uuid=uuid.uuid4(),
                        worker_id=worker_id,
                        lesson_id=lesson_id,
                        verb=Verb.PROGRESSED,
                        event="heartbeat",
                        position=30 * (n + 1),
                        duration=30,
                        timestamp=stored,
                        stored=stored,
                    )
                )
        Statement.objects.bulk_create(batch, batch_size=5000)
    written = time.perf_counter() - written
    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = int(cursor.fetchone()[0])
    per_minute = len(learners) * BEATS_A_MINUTE
    runs: list[dict[str, Any]] = []
    top = ""
    for minute in range(minutes):
        profiler = cProfile.Profile() if profile and minute == minutes - 1 else None
        wall, cpu, db = time.perf_counter(), time.process_time(), _backend_cpu(backend)
        if profiler:
            profiler.enable()
        folded = progress_aggregate(limit=per_minute)
        if profiler:
            profiler.disable()
        runs.append(
            {
                "folded": folded,
                "wall_s": time.perf_counter() - wall,
                "process_cpu_s": time.process_time() - cpu,
                "database_cpu_s": _backend_cpu(backend) - db,
            }
        )
        if profiler:
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
            top = text.getvalue()
    Path(out).write_text(json.dumps({"written_s": written, "runs": runs, "top": top}))


def run(label: str, env: dict[str, str], args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-fold-") as tmp:
        learning = str(Path(__file__).with_name("learning.py"))
        setup = [str(PY), learning, "--setup-into", tmp, "--learners", str(args.learners)]
        subprocess.run([*setup, "--courses", str(args.courses)], env=env, check=True)
        out = os.path.join(tmp, "fold.json")
        child = [str(PY), __file__, "--fold-into", out, "--minutes", str(args.minutes)]
        subprocess.run(child + (["--profile"] if args.profile else []), env=env, check=True)
        result = json.loads(Path(out).read_text())
    tag = f"[{label} {args.learners:,}]"
    print(f"{tag} {args.minutes} minutes of log written in {result['written_s']:.1f}s")
    for i, r in enumerate(result["runs"], 1):
        kind = "creates progress rows" if i == 1 else "updates them"
        total = r["process_cpu_s"] + r["database_cpu_s"]
        print(
            f"{tag} minute {i} ({kind}): {r['folded']:,} statements in {r['wall_s']:.2f}s wall; CPU "
            f"{r['process_cpu_s']:.2f}s folding process + {r['database_cpu_s']:.2f}s database backend = "
            f"{total:.2f}s ({total * 1000 / max(r['folded'], 1):.3f} ms a statement, "
            f"{total / 60 * 100:.1f}% of one core over the minute)"
        )
    if result["top"]:
        print(result["top"])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=10000)
    parser.add_argument("--courses", type=int, default=1000)
    parser.add_argument("--minutes", type=int, default=3)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--fold-into", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fold_into:
        fold_minutes(args.fold_into, args.minutes, args.profile)
        return 0
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base["SKILLCITY_DEBUG"] = "0"
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="bench-fold-db-") as data:
            run("sqlite", {**base, "SKILLCITY_DATA_DIR": data}, args)
    if args.only in (None, "postgres"):
        with postgres_database() as database:
            if database is None:
                print("[postgres] skipped: no PostgreSQL server binaries")
            else:
                with tempfile.TemporaryDirectory(prefix="bench-fold-db-") as data:
                    run("postgres", {**base, "SKILLCITY_DATA_DIR": data, "DATABASE_URL": database[0]}, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
