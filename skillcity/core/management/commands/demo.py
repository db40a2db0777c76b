"""skillcity demo — the platform with the demo city: migrate, build the demo data once, serve.

The build runs in a child process (the serving process must start no threads before Granian
forks its workers). On SQLite the first build goes into a fresh file that nothing else opens, and
moves into place only when complete: a start that failed half-way leaves no half-built database,
and the next start builds again from nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from skillcity.core.bounds import option_int
from skillcity.core.management.commands.serve import add_server_arguments, serve
from skillcity.core.processes import run_console
from skillcity.demo import DEMO_PASSWORD, demo_build

SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal", ".writer-lock")


class Command(BaseCommand):
    help = "Start the platform with the demo city on the embedded SQLite database."

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser)
        parser.add_argument("--seed", type=option_int(0, 2**32 - 1), default=2026)
        parser.add_argument(
            "--size",
            type=int,
            default=None,
            help="workers in the demo city, on its first start (default 20,000)",
        )
        parser.add_argument("--no-serve", action="store_true", help="build the demo data and exit")
        # The child process's side of the build (see the module's docstring).
        parser.add_argument("--build-here", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--seal", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--banner-file", help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["size"] is not None and not 1 <= options["size"] <= 2_000_000:
            raise CommandError("--size must be between 1 and 2000000", returncode=2)
        if options["build_here"]:
            self._build_here(options)
            return
        banner = demo_build_in_child(seed=options["seed"], size=options["size"])
        if options["no_serve"]:
            for line in banner:
                self.stdout.write(line)
            return
        serve(self, options, banner)

    def _build_here(self, options: dict[str, Any]) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        accounts = demo_build(seed=options["seed"], stdout=self.stdout, size=options["size"])
        if options["seal"]:
            # Alone on the fresh file: the WAL goes back into it, and it leaves WAL so that the file
            # is the whole database when it moves into place (the server turns WAL on again).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                cursor.execute("PRAGMA journal_mode=DELETE")
                mode = cursor.fetchone()[0]
            connection.close()
            if mode != "delete":
                raise CommandError(f"the demo database could not leave WAL (journal mode {mode})")
        banner = ["", f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
        banner += [f"  {a.username:<12} {a.role_label}  {a.scope}" for a in accounts]
        banner += ["API docs: /api/v1/docs · Stop with Ctrl+C", ""]
        Path(options["banner_file"]).write_text(json.dumps(banner), encoding="utf-8")


def sqlite_database() -> Path | None:
    """The SQLite file of the default database, or None on PostgreSQL."""
    db = settings.DATABASES["default"]
    return Path(db["NAME"]) if db["ENGINE"] == "skillcity.core.sqlite_backend" else None


def sqlite_remove(path: Path) -> None:
    for suffix in ("", *SQLITE_SIDE_FILES):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextlib.contextmanager
def _one_build_at_a_time(target: Path) -> Iterator[None]:
    with open(f"{target}.demo-lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def demo_build_in_child(*, seed: int, size: int | None) -> list[str]:
    """Build (or complete) the demo in a child process; the banner lines it gives back."""
    with tempfile.TemporaryDirectory(prefix="skillcity-demo-") as scratch:
        banner_file = Path(scratch) / "banner.json"
        args = ["demo", "--build-here", "--seed", str(seed), "--banner-file", str(banner_file)]
        if size is not None:
            args += ["--size", str(size)]
        target = sqlite_database()
        if target is None:
            run_console(*args)
            return list(json.loads(banner_file.read_text(encoding="utf-8")))
        with _one_build_at_a_time(target):
            if target.exists():
                run_console(*args)  # built before: the demo steps, each doing nothing twice
            else:
                fresh = target.with_name(f"{target.name}.building")
                sqlite_remove(fresh)  # what a start that failed half-way left
                env = {**os.environ, "SKILLCITY_SQLITE_CHECKPOINTER": "0"}
                if env.get("DATABASE_URL"):
                    env["DATABASE_URL"] = f"sqlite:///{fresh}"
                else:
                    env["SKILLCITY_SQLITE_NAME"] = str(fresh)
                try:
                    run_console(*args, "--seal", env=env)
                    os.replace(fresh, target)
                finally:
                    sqlite_remove(fresh)
        return list(json.loads(banner_file.read_text(encoding="utf-8")))
