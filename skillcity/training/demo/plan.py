"""The training demo's sizes and choices, and what its parts hand on to each other."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

ACTOR = "demo"
YEARS = (2023, 2024, 2025)
PROVIDERS = 12  # the demo enterprise, training institutions and enterprises that train their staff
AUTUMN_PROVIDERS = 6  # also run an autumn 2025 class, settled in 2025H2 (waiting for approval)
TRAINEES_PER_CLASS = 50  # at the demo scale of 20,000 workers; fewer in a smaller city
VOUCHERS_PER_YEAR = 2000  # idem
CURRENT_VOUCHERS = 1500  # idem: valid today
# Occupations the projects train for: Dongguan's manufacturing and service trades (groups 4 and 6).
PROJECT_OCCUPATIONS = [
    "6-18-01-01",
    "6-18-01-02-02",
    "6-18-02-04",
    "6-18-04-04",
    "6-20-01-01",
    "6-31-01-03",
    "6-31-07-01",
    "6-30-99-00",
    "6-25-04-01",
    "6-25-04-10",
    "6-11-01-05",
    "4-03-02-01",
    "4-10-01-05",
    "4-10-01-06",
    "4-04-05-05",
]
# D003 names "2023年东莞市急需紧缺工种目录（3-6类）": occupations of the classification's major groups 3–6.
MAJOR_GROUPS = {"3": "第三大类", "4": "第四大类", "5": "第五大类", "6": "第六大类"}
CATALOG_SIZE = 20


@dataclass
class Plan:
    """What the step has made so far, for the steps after it."""

    today: datetime.date
    providers: list[Any]
    demo_worker: Any  # the demo account's Worker, or None
    classes: dict[tuple[int, str], list[Any]] = field(default_factory=dict)  # (year, season) → classes
    trainees: dict[int, list[tuple[int, Any]]] = field(default_factory=dict)  # year → (worker_id, class)
    town_firsts: dict[int, set[int]] = field(default_factory=dict)  # year → one trainee per town
    worker_enrolments: dict[str, Any] = field(default_factory=dict)  # "2024"/"2025" → demo worker's


def scale() -> float:
    from skillcity.registry.models import Worker

    return min(1.0, Worker.objects.count() / 20_000)
