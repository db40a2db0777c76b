"""skillcity load_reference — reload towns, industries and occupations from the data files."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from skillcity.registry.reference import load_reference_data


class Command(BaseCommand):
    help = "Upsert the reference data files (skillcity/registry/data/*.csv) into the registry, audited."

    def handle(self, *args: Any, **options: Any) -> None:
        for model, counts in load_reference_data().items():
            self.stdout.write(f"{model}: {counts['created']} created, {counts['updated']} updated")
