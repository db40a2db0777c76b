#!/usr/bin/env python3
"""bench/learning: N learners online at once — heartbeats and pages against the real server.

    .venv/bin/python bench/learning.py [--learners N[,N…]] [--seconds S] [--ramp R]
                                       [--workers W] [--threads T] [--only sqlite|postgres]
                                       [--profile] [--pages SPEC]

For each database (a fresh SQLite file; a throw-away PostgreSQL server, bench/_common.py) and each
N: migrate, build a catalogue (1,000 published courses of 5 video lessons) and N learners (registry
worker, worker account, one enrolment, one signed-in session with its CSRF cookie, made directly in
the tables), start `skillcity serve` (Granian W x T, with the task worker beside it, which folds the
statements into progress every minute) on loopback, then load it with two wrk processes running
bench/learning.lua, one for heartbeats and one for pages, so their latencies are reported apart:

- heartbeats: each learner POSTs a `progressed` statement to /api/v1/learning/statements every
  30 s (session cookie + X-CSRFToken, a fresh UUID, the position 30 s further each beat): N/30
  statements/s in all, over N/10 keep-alive connections (each busy every 3 s on average);
- pages: each learner opens a page every 5 minutes (N/300 pages/s, a tenth of the heartbeats, so
  ~9% of all requests), over N/100 connections: the catalogue 40%, their course's page 30%, their
  lesson's player page 30% (--pages to change).

Send times follow a Poisson schedule at those rates (bench/learning.lua), independent of the
answers, so a slow server gets requests late rather than fewer of them; the lateness is reported.
First a ramp (R s, rate from 10% to 100%, figures discarded), then S seconds measured. Each wrk run
stops sending 12 s before its end (more than its 10 s timeout), so no statement is in flight when
it stops; afterwards COUNT(*) of the statement log must equal the heartbeats answered 2xx.
Reported: heartbeats/s, p50/p99 of heartbeats and pages, errors, the server's CPU and memory
(process group: Granian's parent and workers and the task worker; PostgreSQL apart), wrk's own CPU,
the rest of the machine's CPU (other people's work), statements stored against answered.
--profile: afterwards, 300 heartbeats of one learner through the WSGI application in-process,
under cProfile: where a heartbeat's time goes.
Targets (issue 18 §4): 10,000 learners with heartbeat p99 <= 200 ms, page p99 <= 500 ms, no error,
no statement lost; then the largest N (goal 50,000).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from _common import (
    PY,
    ROOT,
    WRK,
    children_pids,
    cpu_seconds,
    group_pids,
    machine_busy_seconds,
    memory_bytes,
    postgres_database,
    serving,
    wait_ready,
)

BEAT_PERIOD = 30  # seconds between a learner's heartbeats
PAGE_PERIOD = 300  # seconds between a learner's pages
TIMEOUT = 10  # wrk's request timeout, seconds
STOP_MARGIN = TIMEOUT + 2  # no request sent in a run's last seconds
LESSONS_PER_COURSE = 5
DEFAULT_PAGES = "/learning/|40,/learning/courses/{course}/|30,/learning/lessons/{lesson}/|30"
LOCK = "/tmp/skillcity-bench.lock"
STATEMENTS = "/api/v1/learning/statements"


# ---------------------------------------------------------------- setup (runs in a child process)


def worker_id_number(i: int) -> str:
    from skillcity.core.validators import resident_id_check_char

    first17 = f"4419{i // 1000:02d}19900101{i % 1000:03d}"  # unique for i < 100,000
    return first17 + resident_id_check_char(first17)


def learner_line(session_key: str, csrf: str, lesson_id: int, course_code: str) -> str:
    return f"{session_key} {csrf} {lesson_id} {course_code}"


def parse_learner_line(line: str) -> dict[str, str]:
    session, csrf, lesson, course = line.split()
    return {"session": session, "csrf": csrf, "lesson": lesson, "course": course}


def setup(learners: int, courses: int, folder: str) -> None:
    """Migrate the fresh database, make the catalogue and the learners; write learners.txt."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
    sys.path.insert(0, str(ROOT))
    import datetime

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from skillcity.accounts.models import Role, User
    from skillcity.core.validators import uscc_check_char
    from skillcity.learning.models import Category, Course, CourseState, Enrolment, Lesson, LessonKind
    from skillcity.registry.models import Industry, Organisation, OrganisationCategory, Town, Worker

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    town = Town.objects.first() or Town.objects.create(code="441900100", name="长安镇", kind="town")
    body = "91441900MA00000" + "02"
    provider = Organisation.objects.create(
        category=OrganisationCategory.TRAINING_INSTITUTION,
        name="基准在线学习平台",
        uscc=body + uscc_check_char(body),
        town=town,
    )
    now = timezone.now()
    categories = [Category.DIPLOMA, Category.SKILL, Category.GENERAL]
    made = Course.objects.bulk_create(
        Course(
            code=f"BL{i:05d}",
            title=f"基准课程 {i}",
            summary="基准测试用课程",
            category=categories[i % 3],
            provider=provider,
            state=CourseState.PUBLISHED,
            published_at=now,
        )
        for i in range(courses)
    )
    industry = Industry.objects.first()
    if industry is not None:  # 125 strategic-industry courses, as the documents count them
        Course.industries.through.objects.bulk_create(
            Course.industries.through(course_id=c.pk, industry_id=industry.pk) for c in made[:125]
        )
    Lesson.objects.bulk_create(
        Lesson(course=c, position=p, title=f"第 {p} 节", kind=LessonKind.VIDEO, duration_seconds=1800)
        for c in made
        for p in range(1, LESSONS_PER_COURSE + 1)
    )
    first_lesson = dict(Lesson.objects.filter(position=1).values_list("course_id", "pk"))
    workers = Worker.objects.bulk_create(
        (
            Worker(
                name=f"学员{i}",
                id_number=worker_id_number(i),
                gender="M",
                birth_date=datetime.date(1990, 1, 1),
                town=town,
            )
            for i in range(learners)
        ),
        batch_size=5000,
    )
    password = make_password("bench-learner-1")
    users = User.objects.bulk_create(
        (
            User(
                username=f"learner{i}",
                password=password,
                role=Role.WORKER,
                worker=w,
                display_name=w.name,
            )
            for i, w in enumerate(workers)
        ),
        batch_size=5000,
    )
    Enrolment.objects.bulk_create(
        (Enrolment(worker=w, course=made[i % courses]) for i, w in enumerate(workers)), batch_size=5000
    )
    # One signed-in session a learner, as login() leaves it; and the CSRF cookie's secret, which
    # Django also takes unmasked in the X-CSRFToken header.
    backend = settings.AUTHENTICATION_BACKENDS[0]
    auth_hash = users[0].get_session_auth_hash()  # one password hash for all: one HMAC
    store = SessionStore()
    expire = now + datetime.timedelta(days=14)
    sessions, lines = [], []
    for i, user in enumerate(users):
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {"_auth_user_id": str(user.pk), "_auth_user_backend": backend, "_auth_user_hash": auth_hash}
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        course = made[i % courses]
        csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
        lines.append(learner_line(key, csrf, first_lesson[course.pk], course.code))
    Session.objects.bulk_create(sessions, batch_size=5000)
    Path(folder, "learners.txt").write_text("\n".join(lines) + "\n")
    Path(folder, "setup.json").write_text(json.dumps({"seconds": time.perf_counter() - started}))


# ---------------------------------------------------------------- afterwards (child processes)


def verify_database(out: str, profile: bool, learners_file: str, pages: str = DEFAULT_PAGES) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "skillcity.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db.models import Count

    from skillcity.learning.models import AggregationCursor, LessonProgress, Signal, Statement

    last = Statement.objects.order_by("-id").values_list("id", flat=True).first() or 0
    result: dict[str, Any] = {
        "statements": Statement.objects.count(),
        "distinct_uuids": Statement.objects.values("uuid").distinct().count(),
        "last_statement_id": last,
        "cursors": dict(AggregationCursor.objects.values_list("name", "last_statement_id")),
        "lesson_progress_rows": LessonProgress.objects.count(),
        "signals": dict(Signal.objects.values_list("kind").annotate(n=Count("id")).values_list("kind", "n")),
    }
    # Every statement id answered 2xx (bench/learning.lua wrote them down) must be in the log.
    answered = [
        line
        for name in sorted(Path(learners_file).parent.glob("answered-*"))
        for line in name.read_text().split()
    ]
    found = 0
    for i in range(0, len(answered), 1000):
        found += Statement.objects.filter(uuid__in=answered[i : i + 1000]).count()
    # The minutely aggregation beside the server: how long each run took (task rows of the worker).
    from django_tasks_db.models import DBTaskResult

    runs = DBTaskResult.objects.filter(
        task_path__endswith="progress_aggregate_task", finished_at__isnull=False
    )
    result["aggregations_s"] = [
        round((r.finished_at - r.started_at).total_seconds(), 1)
        for r in runs.order_by("started_at")
        if r.started_at and r.finished_at
    ]
    result["answered_ids"] = len(answered)
    result["answered_ids_in_log"] = found
    # Statements in the log that no 2xx answer named: by phase (the UUID's first group) and when stored.
    answered_set = {a.replace("-", "") for a in answered}
    unanswered: dict[str, list[str]] = {}
    for uuid, stored in Statement.objects.values_list("uuid", "stored").iterator(chunk_size=5000):
        if uuid.hex not in answered_set:
            unanswered.setdefault(uuid.hex[:8], []).append(stored.strftime("%H:%M:%S"))
    result["unanswered"] = {
        phase: {"count": len(times), "first": min(times), "last": max(times)}
        for phase, times in unanswered.items()
    }
    if profile:
        lines = Path(learners_file).read_text().split("\n", 200)[:100]
        learners = [parse_learner_line(line) for line in lines if line.strip()]
        result["profile"] = profile_heartbeats(learners[0])
        result["pages_in_process"] = profile_pages(learners, pages)
    Path(out).write_text(json.dumps(result))


def heartbeat_body(lesson: str, sequence: int, phase: int = 9) -> bytes:
    """The statement bench/learning.lua sends (same shape, same UUID scheme)."""
    uuid = f"{0xBE0C0000 + phase:08x}-{0:04x}-4000-8000-{sequence:012x}"
    return json.dumps(
        {
            "id": uuid,
            "verb": {"id": "http://adlnet.gov/expapi/verbs/progressed"},
            "object": {
                "objectType": "Activity",
                "id": f"https://skillcity.example/learning/lessons/{lesson}/",
            },
            "result": {
                "duration": "PT30S",
                "extensions": {"https://w3id.org/xapi/video/extensions/time": 30},
            },
            "context": {"extensions": {"https://w3id.org/xapi/video/extensions/event": "heartbeat"}},
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
    ).encode()


def wsgi_call(application: Any, learner: dict[str, str], method: str, path: str, body: bytes = b"") -> str:
    """One request of a learner (their session and CSRF cookies) through the WSGI application in
    process; its status line."""
    import io

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": f"sessionid={learner['session']}; csrftoken={learner['csrf']}",
        "HTTP_X_CSRFTOKEN": learner["csrf"],
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    status: list[str] = []
    b"".join(application(environ, lambda s, h, *a: status.append(s)))
    return status[0]


def profile_pages(learners: list[dict[str, str]], pages: str, count: int = 100) -> dict[str, Any]:
    """Each page of the mix (--pages), opened `count` times in process by learners in turn, timed
    plainly: ms a page. The catalogue is opened at its first page, as the load opens it."""
    from skillcity.wsgi import application

    timed: dict[str, Any] = {}
    for spec in pages.split(","):
        template = spec.rsplit("|", 1)[0]

        def path(learner: dict[str, str], template: str = template) -> str:
            return template.format(course=learner["course"], lesson=learner["lesson"])

        statuses = {
            wsgi_call(application, learners[i % len(learners)], "GET", path(learners[i % len(learners)]))
            for i in range(10)
        }
        started = time.perf_counter()
        for i in range(count):
            learner = learners[(i + 10) % len(learners)]
            statuses.add(wsgi_call(application, learner, "GET", path(learner)))
        timed[template] = {"ms": (time.perf_counter() - started) * 1000 / count, "statuses": sorted(statuses)}
    return timed


def profile_heartbeats(learner: dict[str, str], count: int = 300) -> dict[str, Any]:
    """`count` heartbeats of one learner through the WSGI application the server runs (hot routes
    included), timed plainly and then under cProfile; the profile grouped by where the code is."""
    import cProfile
    import io
    import pstats

    from skillcity.wsgi import application

    def call(sequence: int) -> str:
        return wsgi_call(
            application, learner, "POST", STATEMENTS, heartbeat_body(learner["lesson"], sequence)
        )

    statuses = {call(i) for i in range(1, 31)}  # warm: imports, connection, first queries
    started = time.perf_counter()
    statuses |= {call(i) for i in range(31, 31 + count)}
    plain_ms = (time.perf_counter() - started) * 1000 / count
    profiler = cProfile.Profile()
    profiler.enable()
    statuses |= {call(i) for i in range(31 + count, 31 + 2 * count)}
    profiler.disable()
    stats = pstats.Stats(profiler)
    groups: dict[str, float] = {}
    total = 0.0
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        total += tottime
        groups[profile_group(filename)] = groups.get(profile_group(filename), 0.0) + tottime
    steps: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, _tt, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        for label, (where, function) in PROFILE_STEPS.items():
            if filename.endswith(where) and name == function:
                steps[label] = steps.get(label, 0.0) + cumtime * 1000 / count
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
    return {
        "statuses": sorted(statuses),
        "plain_ms": plain_ms,
        "profiled_ms": total * 1000 / count,
        "steps_ms": steps,
        "groups_ms": {k: v * 1000 / count for k, v in sorted(groups.items(), key=lambda kv: -kv[1])},
        "top": text.getvalue()[-6000:],
    }


# Steps of a heartbeat, by the function that does them (cumulative time, under cProfile).
PROFILE_STEPS = {
    "whole request (the hot route, skillcity.core.hotpath)": ("skillcity/core/hotpath.py", "__call__"),
    "session and user rows, decoded and checked (skillcity.learning.hot)": (
        "skillcity/learning/hot.py",
        "_session_user",
    ),
    "whole request (Django's handler)": ("django/core/handlers/base.py", "get_response"),
    "session row read (SessionMiddleware, lazily)": ("django/contrib/sessions/backends/db.py", "load"),
    "user row read and session hash check": ("django/contrib/auth/__init__.py", "get_user"),
    "CSRF check": ("django/middleware/csrf.py", "process_view"),
    "Ninja operation (auth, parse, view, render)": ("ninja/operation.py", "run"),
    "statements_store (parse, enrolment check, insert, commit)": (
        "skillcity/learning/services/statements.py",
        "statements_store",
    ),
    "  of which the enrolment check": ("skillcity/learning/services/statements.py", "_check_enrolled"),
    "  of which the transaction's end (commit)": ("django/db/transaction.py", "__exit__"),
}

PROFILE_GROUPS = [
    ("~", "database driver and builtins (execute, commit, fetch)"),
    ("psycopg", "database driver and builtins (execute, commit, fetch)"),
    ("django/db/", "Django ORM and connection"),
    ("django/contrib/sessions", "session load"),
    ("django/contrib/auth", "user load and session hash"),
    ("django/middleware", "middleware (CSRF, security, common)"),
    ("csp/", "middleware (CSRF, security, common)"),
    ("whitenoise", "middleware (CSRF, security, common)"),
    ("django/", "Django request handling, URLs, responses"),
    ("ninja/", "Django Ninja (routing, parsing, auth)"),
    ("pydantic", "pydantic (validation)"),
    ("skillcity/learning", "skillcity.learning (the endpoint's own code)"),
    ("skillcity/", "skillcity (other: middleware, hot routes, audit)"),
    ("json", "JSON"),
]


def profile_group(filename: str) -> str:
    for marker, label in PROFILE_GROUPS:
        if marker in filename:
            return label
    return "other Python (stdlib)"


# ---------------------------------------------------------------- load


def wrk_command(
    base: str, args: argparse.Namespace, learners_file: str, *, mode: str, phase: int, answered: str = ""
) -> list[str]:
    ramp = phase == 1
    seconds = (args.ramp if ramp else args.seconds) + STOP_MARGIN
    connections = args.beat_connections if mode == "beats" else args.page_connections
    period = BEAT_PERIOD if mode == "beats" else PAGE_PERIOD
    return [
        WRK,
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={TIMEOUT}s",
        "--latency",
        "-s",
        str(ROOT / "bench" / "learning.lua"),
        base,
        "--",
        learners_file,
        mode,
        str(period),
        str(seconds - STOP_MARGIN),  # stop sending
        str(args.ramp if ramp else 0),
        str(phase),
        "0" if ramp else str(args.ramp // BEAT_PERIOD + 1),  # beats sent before, for the position
        "1",
        args.pages,
        *([answered] if answered else []),
    ]


def parse_result(stdout: str) -> dict[str, Any]:
    line = next((x for x in stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{stdout}")
    result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
    result["ok"] = sum(n for s, n in result["statuses"].items() if s.startswith("2"))
    result["non_2xx"] = sum(n for s, n in result["statuses"].items() if not s.startswith("2"))
    result["socket_errors"] = sum(
        result[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return result


def run_wrk_pair(
    base: str, args: argparse.Namespace, learners_file: str, phase: int, sampler: Sampler | None
) -> dict[str, dict[str, Any]]:
    """Heartbeats and pages at once, each from its own wrk; their results and their own CPU."""
    procs = {}
    with contextlib.ExitStack() as files:
        outs = {mode: files.enter_context(tempfile.TemporaryFile(mode="w+")) for mode in ("beats", "pages")}
        for mode, out in outs.items():
            answered = os.path.join(os.path.dirname(learners_file), f"answered-{phase}")
            procs[mode] = subprocess.Popen(
                wrk_command(base, args, learners_file, mode=mode, phase=phase, answered=answered),
                stdout=out,
                stderr=subprocess.STDOUT,
                text=True,
            )
        if sampler is not None:
            sampler.extra = [p.pid for p in procs.values()]
        results = {}
        for mode, proc in procs.items():
            _pid, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            outs[mode].seek(0)
            results[mode] = parse_result(outs[mode].read())
            results[mode]["wrk_cpu_seconds"] = usage.ru_utime + usage.ru_stime
    return results


class Sampler(threading.Thread):
    """Every second: CPU of the server's process group, of PostgreSQL, of wrk, of the whole machine;
    memory (RSS and PSS) of the server and of PostgreSQL."""

    def __init__(self, server_pgid: int, postmaster: int | None):
        super().__init__(daemon=True)
        self.pgid, self.postmaster = server_pgid, postmaster
        self.extra: list[int] = []
        self.samples: list[dict[str, float]] = []
        self.halt = threading.Event()

    def sample(self) -> dict[str, float]:
        server = group_pids(self.pgid)
        pg = children_pids(self.postmaster) if self.postmaster else []
        rss, pss = memory_bytes(server)
        pg_rss, pg_pss = memory_bytes(pg)
        return {
            "t": time.monotonic(),
            "server_cpu": cpu_seconds(server),
            "pg_cpu": cpu_seconds(pg),
            "wrk_cpu": cpu_seconds(self.extra),
            "machine_cpu": machine_busy_seconds(),
            "server_rss": rss,
            "server_pss": pss,
            "pg_pss": pg_pss,
            "pg_rss": pg_rss,
        }

    def run(self) -> None:
        while not self.halt.wait(1.0):
            self.samples.append(self.sample())

    def summary(self) -> dict[str, float]:
        s = self.samples
        if len(s) < 3:
            return {}
        span = s[-1]["t"] - s[0]["t"]

        def share(key: str) -> float:
            return (s[-1][key] - s[0][key]) / span

        def peak(key: str) -> float:
            return max((b[key] - a[key]) / (b["t"] - a["t"]) for a, b in itertools.pairwise(s))

        out = {k: share(k) for k in ("server_cpu", "pg_cpu", "wrk_cpu", "machine_cpu")}
        out["server_cpu_peak"] = peak("server_cpu")
        out["others_cpu"] = max(0.0, out["machine_cpu"] - out["server_cpu"] - out["pg_cpu"] - out["wrk_cpu"])
        for k in ("server_rss", "server_pss", "pg_pss", "pg_rss"):
            out[k + "_peak_mib"] = max(x[k] for x in s) / 2**20
        return out


def machine_now() -> str:
    load = Path("/proc/loadavg").read_text().split()[:3]
    top = subprocess.run(
        ["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"], capture_output=True, text=True
    ).stdout.splitlines()[:4]
    return f"load {' '.join(load)}; busiest: " + "; ".join(" ".join(x.split()) for x in top)


def run(label: str, env: dict[str, str], args: argparse.Namespace, postmaster: int | None) -> dict[str, Any]:
    n = args.n
    with tempfile.TemporaryDirectory(prefix="bench-learning-") as tmp:
        subprocess.run(
            [str(PY), __file__, "--setup-into", tmp, "--learners", str(n), "--courses", str(args.courses)],
            env=env,
            check=True,
        )
        learners_file = os.path.join(tmp, "learners.txt")
        made = json.loads(Path(tmp, "setup.json").read_text())["seconds"]
        print(f"[{label} {n:,}] {args.courses:,} courses, {n:,} learners with sessions made in {made:.0f}s")
        if args.profile_only:
            verify_args = ["--verify-into", os.path.join(tmp, "v.json"), "--learners-file", learners_file]
            subprocess.run(
                [str(PY), __file__, *verify_args, "--profile", "--pages", args.pages], env=env, check=True
            )
            written = json.loads(Path(tmp, "v.json").read_text())
            print_profile(f"[{label} {n:,}]", written)
            return {"met": True}
        with open(LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            print(f"[{label} {n:,}] {time.strftime('%H:%M:%S', time.gmtime())} UTC, {machine_now()}")
            with serving(
                env,
                workers=args.workers,
                threads=args.threads,
                embedded_worker=not args.no_worker,
                port_from=18700,
            ) as (base, server):
                wait_ready(base + "/api/v1/training/health", server)
                ramp = run_wrk_pair(base, args, learners_file, 1, None)
                sampler = Sampler(server.pid, postmaster)
                sampler.start()
                measured = run_wrk_pair(base, args, learners_file, 2, sampler)
                sampler.halt.set()
                sampler.join()
            machine = machine_now()
        verify_args = ["--verify-into", os.path.join(tmp, "v.json"), "--learners-file", learners_file]
        verify_args += ["--profile", "--pages", args.pages] if args.profile else []
        subprocess.run([str(PY), __file__, *verify_args], env=env, check=True)
        written = json.loads(Path(tmp, "v.json").read_text())
    return report(label, args, ramp, measured, sampler.summary(), written, machine)


def report(
    label: str,
    args: argparse.Namespace,
    ramp: dict[str, dict[str, Any]],
    measured: dict[str, dict[str, Any]],
    usage: dict[str, float],
    written: dict[str, Any],
    machine_after: str,
) -> dict[str, Any]:
    tag = f"[{label} {args.n:,}]"
    beats, pages = measured["beats"], measured["pages"]
    answered = ramp["beats"]["ok"] + beats["ok"]
    stored = written["statements"]
    rate = beats["ok"] / args.seconds
    for name, r in (("heartbeats", beats), ("pages", pages)):
        print(
            f"{tag} {name}: {r['requests']:,} in {args.seconds}s, p50 {r['p50_ms']:.1f} ms, "
            f"p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms; statuses {r['statuses']}; "
            f"socket errors {r['socket_errors']} (timeouts {r['timeouts']}); sent >1 s late "
            f"{r['late_over_1s']:,} (latest {r['latest_ms'] / 1000:.1f} s); wrk CPU "
            f"{r['wrk_cpu_seconds'] / (args.seconds + STOP_MARGIN) * 100:.1f}% of a core"
        )
    errors = sum(r[k] for r in (*ramp.values(), *measured.values()) for k in ("non_2xx", "socket_errors"))
    print(
        f"{tag} heartbeats/s: {rate:,.1f} (offered {args.n / BEAT_PERIOD:,.1f}); errors in all runs: {errors:,}"
    )
    if usage:
        print(
            f"{tag} CPU (cores, of 2): server {usage['server_cpu']:.2f} (peak second "
            f"{usage['server_cpu_peak']:.2f}), PostgreSQL {usage['pg_cpu']:.2f}, wrk {usage['wrk_cpu']:.2f}, "
            f"everything else on the machine {usage['others_cpu']:.2f}; server CPU a request "
            f"{usage['server_cpu'] * 1000 / ((beats['requests'] + pages['requests']) / args.seconds):.2f} ms; "
            f"memory: server "
            f"PSS {usage['server_pss_peak_mib']:.0f} MiB (RSS summed {usage['server_rss_peak_mib']:.0f} MiB), "
            f"PostgreSQL PSS {usage['pg_pss_peak_mib']:.0f} MiB"
        )
    print(
        f"{tag} statements stored {stored:,} (distinct UUIDs {written['distinct_uuids']:,}), heartbeats "
        f"answered 2xx {answered:,} (ramp {ramp['beats']['ok']:,} + measured {beats['ok']:,}): "
        f"{'equal' if stored == answered else 'DIFFERENT'}; of the {written['answered_ids']:,} ids answered, "
        f"{written['answered_ids_in_log']:,} are in the log "
        f"({written['answered_ids'] - written['answered_ids_in_log']:,} lost); "
        f"aggregation cursors {written['cursors']}, "
        f"last statement {written['last_statement_id']:,}, lesson progress rows "
        f"{written['lesson_progress_rows']:,}, signals {written['signals']}; the minutely aggregation "
        f"took (s) {written.get('aggregations_s')}"
    )
    if written.get("unanswered"):
        print(f"{tag} stored but named by no 2xx answer, by phase: {written['unanswered']}")
    print(f"{tag} after the run: {machine_after}")
    met = (
        beats["p99_ms"] <= 200
        and pages["p99_ms"] <= 500
        and errors == 0
        and stored == answered
        and written["answered_ids"] == written["answered_ids_in_log"] == answered
        and beats["ok"] > 0
    )
    print(
        f"{tag} targets (heartbeat p99 <= 200 ms, page p99 <= 500 ms, 0 errors, 0 lost): {'met' if met else 'NOT met'}"
    )
    print_profile(tag, written)
    return {"met": met, "rate": rate, "beats": beats, "pages": pages, "usage": usage, "written": written}


def print_profile(tag: str, written: dict[str, Any]) -> None:
    if "profile" in written:
        p = written["profile"]
        print(
            f"{tag} one heartbeat in-process: {p['plain_ms']:.2f} ms ({p['profiled_ms']:.2f} ms under "
            f"cProfile), statuses {p['statuses']}; profile by where the code is (ms a heartbeat):"
        )
        for step, ms in p.get("steps_ms", {}).items():
            print(f"    {ms:6.3f}  {step}")
        print(f"{tag} by where the code is (ms a heartbeat, own time):")
        for group, ms in p["groups_ms"].items():
            print(f"    {ms:6.3f}  {group}")
        print(p["top"])
    for page, timed in written.get("pages_in_process", {}).items():
        print(f"{tag} page in-process: {page} {timed['ms']:.1f} ms, statuses {timed['statuses']}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", default="10000", help="N, or several: 10000,20000,30000,50000")
    parser.add_argument("--courses", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=300, help="measured, after the ramp")
    parser.add_argument("--ramp", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--beat-connections", type=int, help="default N/10")
    parser.add_argument("--page-connections", type=int, help="default N/100")
    parser.add_argument("--pages", default=DEFAULT_PAGES)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--profile-only",
        action="store_true",
        help="no load: make the database, then profile one heartbeat and time each page in process",
    )
    parser.add_argument(
        "--no-worker", action="store_true", help="without the task worker (no aggregation during the run)"
    )
    parser.add_argument("--setup-into", help=argparse.SUPPRESS)
    parser.add_argument("--verify-into", help=argparse.SUPPRESS)
    parser.add_argument("--learners-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup_into:
        setup(int(args.learners), args.courses, args.setup_into)
        return 0
    if args.verify_into:
        verify_database(args.verify_into, args.profile, args.learners_file, args.pages)
        return 0
    if not Path(WRK).exists() and not args.profile_only:
        print("bench/learning needs wrk, the HTTP load generator: apt-get install wrk")
        return 2
    sizes = [int(x) for x in args.learners.split(",")]
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; server, task worker, database and wrk share "
        f"the machine; Granian {args.workers} workers x {args.threads} threads, "
        f"{'no task worker' if args.no_worker else 'the task worker beside it'}; ramp {args.ramp}s, "
        f"measured {args.seconds}s; pages {args.pages}"
    )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base["SKILLCITY_DEBUG"] = "0"
    failed = False
    for n in sizes:
        run_args = argparse.Namespace(**vars(args))
        run_args.n = n
        run_args.beat_connections = args.beat_connections or max(10, n // 10)
        run_args.page_connections = args.page_connections or max(5, n // 100)
        if args.only in (None, "sqlite"):
            with tempfile.TemporaryDirectory(prefix="bench-learning-db-") as data:
                failed |= not run("sqlite", {**base, "SKILLCITY_DATA_DIR": data}, run_args, None)["met"]
        if args.only in (None, "postgres"):
            with postgres_database() as database:
                if database is None:
                    print("[postgres] skipped: no PostgreSQL server binaries")
                    continue
                url, postmaster = database
                with tempfile.TemporaryDirectory(prefix="bench-learning-db-") as data:
                    env = {**base, "SKILLCITY_DATA_DIR": data, "DATABASE_URL": url}
                    failed |= not run("postgres", env, run_args, postmaster)["met"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
