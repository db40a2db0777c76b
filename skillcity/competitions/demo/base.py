"""The competitions demo's shared parts: the plan's constants, the registry people it draws on (judges
with worker accounts, enterprises with staff to field players) and the running counts."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

CITY_ORGANISER = "东莞市人力资源和社会保障局"
PROVINCE = "广东省人力资源和社会保障厅"
NATION = "人力资源和社会保障部"
YEARS = (2021, 2022, 2023, 2024, 2025)
TITLES_TOTAL = 278  # catalog §11: 278 东莞市技术能手 (D003)
TITLES_FROM = 2022  # CMP-TITLE is in force from 2022-01-01 (policy pack)
JUDGE_POOL = 15

# (occupation code, project name, direction) for city projects, taken in turn.
CITY_PROJECTS = [
    ("6-18-01-01-02", "数控车", "数控车工"),
    ("6-18-01-02-02", "数控铣", "数控铣工"),
    ("6-31-07-01", "工业机器人系统运维", ""),
    ("6-31-01-03", "电工", "维修电工"),
    ("6-18-04-04", "模具制作", "注塑模具"),
    ("6-18-02-04", "焊接", "熔化焊"),
    ("6-20-01-01", "装配钳工", ""),
    ("6-25-04-10", "智能硬件装调", ""),
    ("4-04-05-01", "计算机程序设计", "移动应用开发"),
    ("4-03-02-01", "中式烹调（粤菜）", "粤菜"),
    ("4-10-01-05", "养老护理", ""),
    ("6-31-07-02", "工业视觉系统运维", ""),
    ("4-12-01-01", "汽车维修", ""),
    ("6-29-03-01", "制冷空调系统安装维修", ""),
]
TOWN_PROJECTS = [
    ("6-31-01-03", "电工"),
    ("6-18-02-04", "焊工"),
    ("4-03-02-01", "中式烹调师"),
    ("4-10-01-06", "家政服务员"),
    ("6-05-05-01", "缝纫工"),
    ("6-18-01-01", "车工"),
]
CITY_SCHEME = [
    {
        "code": "A",
        "name": "实操作品",
        "aspects": [
            {"code": "A1", "description": "尺寸与功能达标", "kind": "measurement", "max_mark": "40"},
            {"code": "A2", "description": "工艺与质量", "kind": "measurement", "max_mark": "30"},
        ],
    },
    {
        "code": "B",
        "name": "职业素养",
        "aspects": [
            {"code": "B1", "description": "安全文明生产与规范", "kind": "judgement", "max_mark": "30"}
        ],
    },
]
# Town contests and city class 2: one judge, measurement only (small and quick to mark).
TOWN_SCHEME = [
    {
        "code": "A",
        "name": "实操考核",
        "aspects": [
            {"code": "A1", "description": "操作规范", "kind": "measurement", "max_mark": "60"},
            {"code": "A2", "description": "作品质量", "kind": "measurement", "max_mark": "40"},
        ],
    }
]


@dataclass
class Plan:
    level: str
    name: str
    projects: int
    entries: int
    quota: int | None
    month: int


@dataclass
class Demo:
    rng: random.Random
    bureau: Any
    judges: list[tuple[Any, Any]]  # (worker, user)
    units: dict[int, list[Any]]  # unit id → its employees (enterprises with at least four)
    unit_objects: dict[int, Any]
    hosts: list[Any]
    occupations: dict[str, Any]
    demo_worker: Any
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def demo_context(rng: random.Random, bureau: Any) -> Demo:
    from skillcity.accounts.models import User
    from skillcity.accounts.services import user_create
    from skillcity.registry.models import Occupation, Organisation, OrganisationCategory, Worker

    demo_user = User.objects.filter(username="worker").select_related("worker").first()
    demo_worker = demo_user.worker if demo_user is not None else None
    demo_worker_id = demo_worker.pk if demo_worker is not None else 0
    schools = (
        OrganisationCategory.TECHNICAL_SCHOOL,
        OrganisationCategory.VOCATIONAL_COLLEGE,
        OrganisationCategory.TRAINING_INSTITUTION,
    )
    # Judges: highly skilled people outside enterprises (players come from enterprises, so no judge shares
    # a unit with a player), each with a worker account to mark from; the first is the demo's "judge".
    judges = []
    pool = list(
        Worker.objects.exclude(employer__category=OrganisationCategory.ENTERPRISE)
        .filter(highest_level__lte=3)
        .exclude(pk=demo_worker_id)
        .order_by("highest_level", "id")[:JUDGE_POOL]
    )
    for i, worker in enumerate(pool):
        user = User.objects.filter(worker=worker).first()
        if user is None:
            from skillcity.demo import DEMO_PASSWORD

            user = user_create(
                username="judge" if i == 0 else f"demo_judge_{i}",
                password=DEMO_PASSWORD if i == 0 else None,
                role="worker",
                actor="demo",
                display_name=worker.name,
                worker=worker,
            )
        judges.append((worker, user))
    rows = (
        Worker.objects.filter(employer__category=OrganisationCategory.ENTERPRISE)
        .values("employer_id")
        .annotate(n=Count("id"))
        .filter(n__gte=4)
        .order_by("employer_id")
    )
    unit_ids = [r["employer_id"] for r in rows]
    units: dict[int, list[Any]] = {i: [] for i in unit_ids}
    for worker in Worker.objects.filter(employer_id__in=unit_ids).exclude(pk=demo_worker_id):
        if worker.employer_id is not None:
            units[worker.employer_id].append(worker)
    return Demo(
        rng=rng,
        bureau=bureau,
        judges=judges,
        units=units,
        unit_objects=Organisation.objects.in_bulk(unit_ids),
        hosts=list(Organisation.objects.filter(category__in=schools).order_by("id")[:12]),
        occupations={o.code: o for o in Occupation.objects.all()},
        demo_worker=demo_worker,
    )


def players_pick(
    demo: Demo, entries: int, size: int, town: Any, demo_player: bool
) -> list[tuple[Any, list[Any]]]:
    """`entries` (unit, players) pairs from distinct units; a town contest's units in that town if it
    has enough. The demo worker plays for their employer in the first entry when asked."""
    rng = demo.rng
    chosen: list[tuple[Any, list[Any]]] = []
    if demo_player and demo.demo_worker is not None and demo.demo_worker.employer_id:
        chosen.append((demo.demo_worker.employer, [demo.demo_worker]))
    ids = [i for i, staff in demo.units.items() if len(staff) >= size]
    local = [i for i in ids if town is not None and demo.unit_objects[i].town_id == town.pk]
    pool = local if len(local) >= entries else ids
    taken = {unit.pk for unit, _p in chosen}
    for unit_id in rng.sample(pool, min(len(pool), entries + 3)):
        if len(chosen) >= entries:
            break
        if unit_id in taken:
            continue
        staff = demo.units[unit_id]
        chosen.append((demo.unit_objects[unit_id], rng.sample(staff, size)))
        taken.add(unit_id)
    return chosen
