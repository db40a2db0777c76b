"""The high-skill talent pool (东莞市高技能人才库: workers at level ≤ 3 with their titles), its masked
export rows, the honours share (TAL-HONOUR-SHARE) and EDU-EQUIV on a worker's profile."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from skillcity.certification.models import Certificate
from skillcity.core.access import visible_to
from skillcity.core.masking import mask_id_number, mask_phone
from skillcity.policy.engine import Outcome
from skillcity.registry.models import SkillLevel, SkillRecord, Worker
from skillcity.talents.models import HonourList
from skillcity.talents.selectors.cards import evaluate_in_force

HIGH_SKILL_MAX_LEVEL = 3  # 高技能人才: 三级/高级工 and above (level numbers 1–3)

POOL_FILTERS = ("town", "industry", "occupation", "level")


def _standing(records: QuerySet[SkillRecord]) -> QuerySet[SkillRecord]:
    # A revoked certificate's record, and a revoked title's (competitions.Title), no longer count
    # (as certification.facts does for the card).
    return records.exclude(certificate__status=Certificate.Status.REVOKED).exclude(title__status="revoked")


def pool_queryset(user: Any, filters: dict[str, Any]) -> QuerySet[Worker]:
    """Workers at level ≤ 3, within what the user may see, filtered by town, industry, occupation (code of
    a standing level-≤3 record) and level; each with its standing skill records and honours prefetched."""
    workers = visible_to(user, Worker.objects.filter(highest_level__lte=HIGH_SKILL_MAX_LEVEL))
    if filters.get("town"):
        workers = workers.filter(town_id=filters["town"])
    if filters.get("industry"):
        workers = workers.filter(employer__industry_id=filters["industry"])
    if filters.get("level"):
        workers = workers.filter(highest_level=filters["level"])
    if filters.get("occupation"):
        held = _standing(
            SkillRecord.objects.filter(
                kind=SkillRecord.Kind.SKILL_LEVEL,
                level__lte=HIGH_SKILL_MAX_LEVEL,
                occupation__code=filters["occupation"],
            )
        )
        workers = workers.filter(pk__in=held.values("worker_id"))
    records = _standing(
        SkillRecord.objects.filter(kind__in=[SkillRecord.Kind.SKILL_LEVEL, SkillRecord.Kind.HONOUR])
    ).select_related("occupation")
    return (
        workers.select_related("town", "employer__industry")
        .prefetch_related(Prefetch("skill_records", queryset=records, to_attr="pool_records"))
        .order_by("highest_level", "town__name", "name", "id")
    )


def pool_titles(worker: Worker) -> list[str]:
    records = worker.pool_records  # type: ignore[attr-defined]
    return sorted({str(r.get_honour_display()) for r in records if r.kind == "honour" and r.honour})


def pool_occupations(worker: Worker) -> list[str]:
    return sorted(
        {
            f"{r.occupation.name}（{r.get_level_display()}）"
            for r in worker.pool_records  # type: ignore[attr-defined]
            if r.kind == "skill_level" and r.occupation and r.level and r.level <= HIGH_SKILL_MAX_LEVEL
        }
    )


POOL_EXPORT_HEADER = [
    "姓名",
    "身份证号码（脱敏）",
    "手机号码（脱敏）",
    "所在镇街",
    "工作单位",
    "行业",
    "最高技能等级",
    "职业（工种）",
    "称号",
]


def pool_export_rows(workers: Iterable[Worker]) -> Iterator[list[Any]]:
    """Masked always: the pool is shared with units and departments (PIPL: no full ID or phone)."""
    for w in workers:
        yield [
            w.name,
            mask_id_number(w.id_number),
            mask_phone(w.phone),
            w.town.name,
            w.employer.name if w.employer else "",
            w.employer.industry.name if w.employer and w.employer.industry else "",
            str(SkillLevel(w.highest_level).label) if w.highest_level else "",
            "、".join(pool_occupations(w)),
            "、".join(pool_titles(w)),
        ]


@dataclass
class WinnerRow:
    row: int
    name: str
    id_number_masked: str
    unit: str
    worker: Worker | None
    counted: bool
    why: str


def honour_share(honour_list: HonourList) -> tuple[Outcome, list[WinnerRow]]:
    """TAL-HONOUR-SHARE for one list: each winner matched to the registry by ID number; a winner counts
    as a skilled worker when registered with a standing skill level (any of 一级 to 五级)."""
    winners = list(honour_list.winners.order_by("row"))
    workers = {
        w.id_number: w
        for w in Worker.objects.filter(id_number__in=[x.id_number for x in winners]).select_related("town")
    }
    rows: list[WinnerRow] = []
    for winner in winners:
        worker = workers.get(winner.id_number)
        if worker is None:
            counted, why = False, _("平台登记中没有该身份证号码")
        elif worker.highest_level is None:
            counted, why = False, _("已登记，但无有效职业技能等级")
        else:
            counted, why = (
                True,
                _("持有%(level)s职业技能等级") % {"level": SkillLevel(worker.highest_level).label},
            )
        rows.append(
            WinnerRow(
                winner.row, winner.name, mask_id_number(winner.id_number), winner.unit, worker, counted, why
            )
        )
    facts = {"winners_total": max(len(rows), 1), "skilled_winners": sum(1 for r in rows if r.counted)}
    return evaluate_in_force("TAL-HONOUR-SHARE", timezone.localdate(), facts), rows


# EDU-EQUIV: the class a technical school trains to each level (中级工班 → 四级, 高级工班 → 三级, 预备技师 → 二级).
CLASS_FOR_LEVEL = {4: "intermediate", 3: "advanced", 2: "preparatory_technician"}
CLASS_LABELS = {
    "intermediate": gettext_lazy("中级工班"),
    "advanced": gettext_lazy("高级工班"),
    "preparatory_technician": gettext_lazy("预备技师（技师）班"),
}


@dataclass
class EduEquivRow:
    class_type: str
    class_label: str
    level_label: str
    equivalent: str
    matches: bool


def edu_equiv_table(
    worker: Worker | None, graduated: set[str] | None = None
) -> tuple[list[EduEquivRow], str]:
    """Each technical-school class with its EDU-EQUIV equivalence (from the rule, so from the active
    pack); the row matching the worker's highest standing level is marked, or, when the worker has
    graduation records (schools), the rows of the classes they graduated from (`graduated`)."""
    day = timezone.localdate()
    level = worker.highest_level if worker else None
    rows = []
    note = ""
    for lv, class_type in sorted(CLASS_FOR_LEVEL.items(), reverse=True):
        outcome = evaluate_in_force("EDU-EQUIV", day, {"class_type": class_type})
        note = str(outcome.extra.get("in_force_note", ""))
        rows.append(
            EduEquivRow(
                class_type,
                str(CLASS_LABELS[class_type]),
                str(SkillLevel(lv).label),
                str(outcome.extra.get("equivalent", "")),
                class_type in graduated
                if graduated
                else level is not None and (level == lv or (lv == 2 and level < 2)),
            )
        )
    return rows, note
