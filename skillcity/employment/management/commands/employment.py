"""skillcity employment import FILE | pull — contribution records from a shell.

- import: an .xlsx or .csv in the page's template, all rows or none; if any row is bad, nothing is
  written, every bad row is listed and the exit code is 2.
- pull: what the daily job does — new records from the social-insurance system's adapter; a bad record
  is held aside (listed on the bureau's page), the rest written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.core.errors import DomainError
from skillcity.employment.models import Source
from skillcity.employment.services import ingest, read_file
from skillcity.employment.services.adapter import contributions_pull


class Command(BaseCommand):
    help = (
        "Employment records: import contribution records (all rows or none), or pull them from the adapter."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import an .xlsx or .csv of contribution records")
        imp.add_argument("file", type=Path)
        sub.add_parser("pull", help="pull new records from the social-insurance system now")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "pull":
            done = contributions_pull()
            self.stdout.write(
                f"pulled {done['pages']} page(s): written {done['written']}, unchanged {done['unchanged']}, "
                f"held aside {done['held']} (listed on /employment/)"
            )
            return
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        try:
            data, errors = read_file(path.name, path.read_bytes())
        except DomainError as error:
            raise CommandError(f"{path}: {error.message}", returncode=2) from None
        batch = None
        if not errors:
            result = ingest(data=data, source=Source.IMPORT, actor="cli", file_name=path.name)
            errors, batch = result.errors, result.batch
        if errors or batch is None:
            self.stderr.write(f"{path}: {len(errors)} error(s); nothing was imported")
            for e in errors:
                self.stderr.write(f"  row {e.row}, column {e.column or '-'}: {e.reason}")
            sys.exit(2)
        self.stdout.write(
            f"imported {batch.rows} contribution record(s) from {path} ({batch.unchanged} unchanged)"
        )
