"""skillcity serve — migrate and serve the platform with Granian, with the background worker beside it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from skillcity.core.bounds import option_int
from skillcity.core.env import env_bool, env_int, env_str
from skillcity.core.processes import background_worker, run_console
from skillcity.core.server import free_port, run_server
from skillcity.core.sqlite_backend.base import Checkpointer


def add_server_arguments(parser: CommandParser) -> None:
    parser.add_argument("--host", default=env_str("SKILLCITY_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port",
        type=int,
        default=env_int("SKILLCITY_PORT", 8000, minimum=1, maximum=65535),
        help="first port to try; the next free one is used if it is taken",
    )
    parser.add_argument(
        "--workers", type=option_int(1, 256), default=env_int("SKILLCITY_WORKERS", 2, minimum=1)
    )
    parser.add_argument(
        "--threads", type=option_int(1, 256), default=env_int("SKILLCITY_THREADS", 4, minimum=1)
    )
    parser.add_argument(
        "--connections",
        type=option_int(64, 1_000_000),
        default=env_int("SKILLCITY_CONNECTIONS", 10_000, minimum=64, maximum=1_000_000),
        help="open (keep-alive) connections each worker process holds at once; more wait to be accepted",
    )
    parser.add_argument(
        "--no-worker",
        action="store_true",
        default=not env_bool("SKILLCITY_EMBEDDED_WORKER", True),
        help="do not start `skillcity worker` (background tasks and the scheduler) beside the server: "
        "production runs it on its own machine",
    )


def serve(command: BaseCommand, options: dict[str, Any], banner: list[str] | None = None) -> None:
    port = free_port(options["host"], options["port"])
    command.stdout.write("")
    command.stdout.write(
        command.style.SUCCESS(f"SkillCity is running: open http://{options['host']}:{port}/")
    )
    for line in banner or []:
        command.stdout.write(line)
    if not options["no_worker"]:
        command.stdout.write(
            "Background tasks and periodic jobs: `skillcity worker`, started beside the server"
        )
    command.stdout.flush()
    # Granian forks the workers from this process, which therefore starts no threads (polars' pool,
    # SQLite checkpointers) before: migrating and the demo build ran in child processes. Anything
    # this process opened anyway is closed first.
    connections.close_all()
    Checkpointer.stop_all()
    with background_worker(not options["no_worker"]):
        run_server(
            host=options["host"],
            port=port,
            workers=options["workers"],
            threads=options["threads"],
            connections=options["connections"],
        )


class Command(BaseCommand):
    help = "Apply migrations and serve the platform (Granian), with `skillcity worker` beside it."

    def add_arguments(self, parser: CommandParser) -> None:
        add_server_arguments(parser)
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            run_console("migrate", "--verbosity", "0")
        serve(self, options)
