"""skillcity supervise [--check ID ...] [--full] — run the supervision checks from a shell.

Without --full, only records since the last finished run are looked at (what the nightly job does);
with --full, every record. A progress bar shows the checks as they run; the counts are printed at the
end. Exit code 2 for an unknown check id.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from skillcity.core.errors import DomainError
from skillcity.supervision.checks import CHECKS, Check
from skillcity.supervision.services import supervise


class Command(BaseCommand):
    help = "Run the supervision checks: incremental since the last run, or --full."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="append", default=[], metavar="ID", help="one check (repeatable)"
        )
        parser.add_argument("--full", action="store_true", help="every record, not only new ones")

    def handle(self, *args: Any, **options: Any) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        count = len(options["check"]) or len(CHECKS)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=False,
        ) as bar:
            job = bar.add_task("supervise", total=count)

            def advance(check: Check, index: int, total: int) -> None:
                bar.update(job, completed=index, description=check.id)

            try:
                run = supervise(check_ids=options["check"], full=options["full"], progress=advance)
            except DomainError as error:
                self.stderr.write(str(error.message))
                sys.exit(2)
        for check_id, c in run.counts.items():
            self.stdout.write(
                f"{check_id}: {c['findings']} findings, {c['raised']} new alerts, {c['refired']} fired again "
                f"({c['seconds']} s)"
            )
        self.stdout.write(f"run {run.pk} {'full' if run.full else 'incremental'}: done")
