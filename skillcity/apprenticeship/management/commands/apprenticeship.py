"""skillcity apprenticeship import FILE — apprentices from a shell (an .xlsx or .csv in the page's
template), all rows or none: if any row is bad, nothing is written, every bad row is listed and the
exit code is 2."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.apprenticeship.services.imports import apprenticeships_import
from skillcity.core.errors import DomainError


class Command(BaseCommand):
    help = "New-style apprenticeship: import apprentices from an .xlsx or .csv (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import an .xlsx or .csv of apprentices")
        imp.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        try:
            result = apprenticeships_import(actor="cli", filename=path.name, content=path.read_bytes())
        except DomainError as error:
            raise CommandError(f"{path}: {error.message}", returncode=2) from None
        if not result.ok:
            self.stderr.write(f"{path}: {len(result.errors)} error(s); nothing was imported")
            for e in result.errors:
                self.stderr.write(f"  row {e.row}, column {e.column or '-'}: {e.reason}")
            sys.exit(2)
        self.stdout.write(f"imported {result.created} apprentice(s) from {path}")
