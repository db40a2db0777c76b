"""skillcity demo — the platform with the demo city: migrate, build the demo data once, serve."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from skillcity.core.management.commands.serve import add_server_arguments, serve
from skillcity.demo import DEMO_PASSWORD, demo_build


class Command(BaseCommand):
    help = "Start the platform with the demo city on the embedded SQLite database."

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-serve", action="store_true", help="build the demo data and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        accounts = demo_build(seed=options["seed"], stdout=self.stdout)
        banner = ["", f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
        banner += [f"  {a.username:<12} {a.role_label}  {a.scope}" for a in accounts]
        banner += ["API docs: /api/v1/docs · Stop with Ctrl+C", ""]
        if options["no_serve"]:
            for line in banner:
                self.stdout.write(line)
            return
        serve(self, options, banner)
