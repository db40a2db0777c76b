"""skillcity import organisations|workers FILE [--as USERNAME] — the page's import engine, from a shell.

All rows or none: if any row is bad, nothing is written, every bad row is listed and the exit code is 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.accounts.models import User, normalise_username
from skillcity.core.errors import DomainError
from skillcity.registry.imports import run_import


class Command(BaseCommand):
    help = "Import organisations or workers from an .xlsx or .csv file (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["organisations", "workers"])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as", dest="username", default="", help="import as this user (a town officer: own town only)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}", returncode=2)
        actor: Any = "cli"
        if options["username"]:
            actor = User.objects.filter(
                username=normalise_username(options["username"]), is_active=True
            ).first()
            if actor is None:
                raise CommandError(f"no active user named {options['username']!r}", returncode=2)
            if not (actor.is_superuser or actor.role in ("bureau_officer", "town_officer")):
                raise CommandError(
                    f"{actor.username} may not import (bureau or town officers only)", returncode=2
                )
        try:
            result = run_import(
                kind=options["kind"], filename=path.name, content=path.read_bytes(), actor=actor
            )
        except DomainError as error:
            raise CommandError(f"{path}: {error.message}", returncode=2) from None
        if not result.ok:
            self.stderr.write(f"{path}: {len(result.errors)} error(s); nothing was imported")
            for e in result.errors:
                self.stderr.write(f"  row {e.row}, column {e.column or '-'}: {e.reason}")
            sys.exit(2)
        self.stdout.write(f"imported {result.created} {options['kind']} from {path}")
