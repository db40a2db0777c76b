"""skillcity generate --seed N --scale demo|city — a deterministic synthetic Dongguan."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillcity.core.bounds import option_int
from skillcity.registry.generate import SCALES, generate_city
from skillcity.registry.models import Worker


class Command(BaseCommand):
    help = (
        "Build a deterministic synthetic city (organisations, workers, skill records) into an empty registry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=option_int(0, 2**32 - 1), required=True)
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--plant-fraud",
            action="store_true",
            help="then plant the documented fraud cases (docs/supervision-planted.md); truth in planted-truth.json",
        )
        parser.add_argument(
            "--workers", type=option_int(1, 10_000_000), help="workers instead of the scale's"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Worker.objects.exists():
            raise CommandError(
                "the registry already holds workers: generate into an empty database", returncode=2
            )
        result = generate_city(
            seed=options["seed"],
            scale=options["scale"],
            progress=not options["no_progress"],
            workers=options["workers"],
        )
        self.stdout.write(
            f"generated {result.organisations} organisations, {result.workers} workers, "
            f"{result.skill_records} skill records in {result.seconds:.1f}s "
            f"({result.workers_per_second:,.0f} worker rows/s)"
        )
        if options["plant_fraud"]:
            from skillcity.supervision.planting import plant_fraud, truth_path

            truth = plant_fraud(seed=options["seed"], size="demo" if options["scale"] == "demo" else "city")
            counts = ", ".join(
                f"{kind} {len(entry['cases'])}+{len(entry['near_miss'])}"
                for kind, entry in truth["kinds"].items()
            )
            self.stdout.write(f"planted (cases+near-misses): {counts}; truth in {truth_path()}")
