"""skillcity worker — run background tasks and the scheduler of periodic jobs, on their own.

Production runs this on its own machine(s), with `skillcity serve --no-worker` for the web; the
demo and a plain `skillcity serve` start it beside the web server themselves.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from skillcity.core.bounds import option_int
from skillcity.core.env import env_int
from skillcity.jobs.schedule import PERIODIC_JOBS, tick

log = logging.getLogger("skillcity.jobs")


class Scheduler(threading.Thread):
    """Calls `tick()` every `every` seconds; with `parent`, ends this process when its parent is gone."""

    def __init__(self, every: float, parent: int | None):
        super().__init__(name="skillcity-scheduler", daemon=True)
        self.every = every
        self.parent = parent
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopping.is_set():
                if self.parent is not None and os.getppid() != self.parent:
                    log.warning("the server that started this worker is gone: stopping")
                    os.kill(os.getpid(), signal.SIGTERM)
                    return
                close_old_connections()
                try:
                    tick()
                except Exception:  # a bad tick is logged; the next one tries again
                    log.exception("scheduler tick failed")
                self.stopping.wait(self.every)
        finally:
            connections.close_all()


class Command(BaseCommand):
    help = "Run background tasks (django-tasks, database backend) and the scheduler of periodic jobs."

    def add_arguments(self, parser: CommandParser) -> None:
        only = parser.add_mutually_exclusive_group()
        only.add_argument("--tasks-only", action="store_true", help="run tasks, not the scheduler")
        only.add_argument("--scheduler-only", action="store_true", help="run the scheduler, not tasks")
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds between looks for a new task when the queue is empty (default 1)",
        )
        parser.add_argument(
            "--every",
            type=float,
            default=env_int("SKILLCITY_SCHEDULER_EVERY", 60, minimum=1, maximum=3600),
            help="seconds between the scheduler's looks at the periodic jobs (default 60)",
        )
        parser.add_argument(
            "--max-tasks", type=option_int(1, 10**9), default=None, help="stop after this many tasks"
        )
        parser.add_argument("--parent", type=int, default=None, help=argparse.SUPPRESS)
        parser.add_argument(
            "--nice",
            type=option_int(0, 19),
            default=None,
            help="lower this process's CPU priority by this much (default: SKILLCITY_WORKER_NICE, "
            "10 when started beside `skillcity serve`, else 0)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] < 0 or options["every"] <= 0:
            raise CommandError("--interval must be ≥ 0 and --every > 0", returncode=2)
        # Beside the web server on the same cores, periodic folds (learning's progress, a minute's
        # statements in a few seconds of CPU) yield to requests instead of taking a core from them.
        nice = options["nice"]
        if nice is None:
            embedded = options["parent"] is not None
            nice = env_int("SKILLCITY_WORKER_NICE", 10 if embedded else 0, minimum=0, maximum=19)
        if nice:
            os.nice(nice)
            self.stdout.write(f"worker: CPU priority lowered by {nice} (nice), so requests come first")
        scheduler = None
        if not options["tasks_only"]:
            scheduler = Scheduler(options["every"], options["parent"])
            jobs = ", ".join(f"{j.name} ({j.period})" for j in PERIODIC_JOBS.values())
            self.stdout.write(f"scheduler: every {options['every']:g} s; jobs: {jobs}")
            scheduler.start()
        if options["scheduler_only"]:
            assert scheduler is not None
            stop = threading.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
            stop.wait()
            scheduler.stopping.set()
            return
        self.stdout.write("worker: running background tasks of every queue")
        self.stdout.flush()
        worker = Worker(
            queue_names=["*"],
            interval=options["interval"],
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}",
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            if scheduler is not None:
                scheduler.stopping.set()
