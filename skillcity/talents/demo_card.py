"""Demo data for the card, the pool and the honours share (issue 16 item 7), fast and idempotent:
the card's services (demo values, marked so), 莞邑工匠 / 首席技师 and studio-lead rows put through the
imports, an honours list, then a card for every eligible worker.

The cards are issued in bulk: TAL-CARD is evaluated per worker from facts read in a few queries (the same
facts the live provider computes), the cards signed one by one, one audit row for the batch.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillcity.certification import signing
from skillcity.certification.models import Certificate
from skillcity.core.audit import audit_record
from skillcity.core.validators import resident_id_check_char
from skillcity.registry.models import SkillRecord, Worker
from skillcity.talents.models import STUDIO_RANK, CardService, HonourList, StudioLead, TalentCard, TitleAward

# 演示数据，文件未列明: D003 says up to 24 services and does not list them.
SERVICES = [
    ("人才子女入学协调", "市教育局", "子女义务教育阶段入学按政策协调安排"),
    ("人才住房保障", "市住房和城乡建设局", "优先申请人才公寓、共有产权住房"),
    ("医疗保健绿色通道", "市卫生健康局", "指定医院就医绿色通道、年度健康体检"),
    ("落户办理", "市公安局", "人才入户即来即办"),
    ("出入境便利", "市公安局出入境管理支队", "出入境证件加急办理"),
    ("政务服务专窗", "市政务服务数据管理局", "人才服务专窗一站式办理"),
    ("公共交通优惠", "市交通运输局", "市内公交、地铁出行优惠"),
    ("文体场馆优惠", "市文化广电旅游体育局", "公共文体场馆免费或优惠入场"),
    ("职称评审绿色通道", "市人力资源和社会保障局", "技能人才申报职称直通车"),
    ("创业扶持", "市人力资源和社会保障局", "创业担保贷款优先受理"),
    ("技能提升培训", "市人力资源和社会保障局", "高技能人才研修项目优先参加"),
    ("法律咨询服务", "市司法局", "免费法律咨询"),
]


def _services() -> None:
    if CardService.objects.exists():
        return
    CardService.objects.bulk_create(
        CardService(name=n, provider=p, description=d, order=(i + 1) * 10, active=True, demo=True)
        for i, (n, p, d) in enumerate(SERVICES)
    )


def _xlsx(rows: list[list[Any]]) -> bytes:
    from skillcity.core.spreadsheets import new_workbook, workbook_bytes

    workbook = new_workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    return workbook_bytes(workbook)


def _imports(rng: random.Random, bureau: Any) -> None:
    """Six titles and eight studio leads, chosen from level 2–3 workers, through the import services."""
    from skillcity.talents.services.card_imports import (
        STUDIO_COLUMNS,
        TITLE_COLUMNS,
        studios_import,
        titles_import,
    )

    if TitleAward.objects.exists() or StudioLead.objects.exists():
        return
    candidates = list(Worker.objects.filter(highest_level__in=(2, 3)).order_by("id")[:400])
    if len(candidates) < 14:
        return
    chosen = rng.sample(candidates, 14)
    titles = [list(TITLE_COLUMNS)] + [
        [
            w.id_number,
            w.name,
            "莞邑工匠" if i % 2 else "首席技师",
            f"2025-0{i + 3}-15",
            f"东人社〔2025〕{20 + i}号",
        ]
        for i, w in enumerate(chosen[:6])
    ]
    levels = ["市级", "市级", "市级", "省级", "省级", "国家级", "市级", "省级"]
    studios = [list(STUDIO_COLUMNS)] + [
        [
            w.id_number,
            w.name,
            f"{w.town.name.removesuffix('镇').removesuffix('街道')}{w.name}技能大师工作室",
            levels[i],
            f"2024-0{i + 1}-10",
        ]
        for i, w in enumerate(chosen[6:14])
    ]
    for fn, content, name in (
        (titles_import, titles, "titles-demo.xlsx"),
        (studios_import, studios, "studios-demo.xlsx"),
    ):
        result = fn(filename=name, content=_xlsx(content), actor=bureau)
        assert result.ok, result.errors


def _honours(rng: random.Random, bureau: Any) -> None:
    """2025 五一劳动奖章: 30 winners, 8 of them registered with a skill level, 4 registered without, the rest
    not in the registry (their ID numbers made up, valid in form)."""
    from skillcity.talents.services.honours import COLUMNS, honours_import

    if HonourList.objects.exists():
        return
    skilled = list(Worker.objects.filter(highest_level__isnull=False).order_by("id")[:300])
    unskilled = list(Worker.objects.filter(highest_level__isnull=True).order_by("id")[:300])
    if len(skilled) < 8 or len(unskilled) < 4:
        return
    rows: list[list[Any]] = [list(COLUMNS)]
    for w in rng.sample(skilled, 8) + rng.sample(unskilled, 4):
        rows.append([w.name, w.id_number, w.employer.name if w.employer_id and w.employer else ""])
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋"
    for i in range(18):
        first17 = f"44190019{70 + i % 25:02d}0{1 + i % 9}1{i % 9}{900 + i:03d}"
        rows.append(
            [
                rng.choice(surnames) + rng.choice(given) + rng.choice(given),
                first17 + resident_id_check_char(first17),
                "东莞市某单位",
            ]
        )
    result = honours_import(
        award="五一劳动奖章", year=2025, filename="honours-demo.xlsx", content=_xlsx(rows), actor=bureau
    )
    assert result.ok, result.errors


def _eligible_facts() -> dict[int, dict[str, Any]]:
    """TAL-CARD's facts for every worker with any basis, in three queries."""
    facts: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"titles": [], "studio_lead_level": None, "highest_skill_level": None}
    )
    standing = SkillRecord.objects.exclude(certificate__status=Certificate.Status.REVOKED)
    for worker_id, level in standing.filter(kind=SkillRecord.Kind.SKILL_LEVEL, level__lte=2).values_list(
        "worker_id", "level"
    ):
        current = facts[worker_id]["highest_skill_level"]
        facts[worker_id]["highest_skill_level"] = level if current is None else min(current, level)
    for worker_id, honour in (
        standing.filter(kind=SkillRecord.Kind.HONOUR).exclude(honour="").values_list("worker_id", "honour")
    ):
        if honour not in facts[worker_id]["titles"]:
            facts[worker_id]["titles"].append(honour)
    for worker_id, studio_level in StudioLead.objects.values_list("worker_id", "level"):
        current = facts[worker_id]["studio_lead_level"]
        if current is None or STUDIO_RANK[studio_level] > STUDIO_RANK[current]:  # type: ignore[index]
            facts[worker_id]["studio_lead_level"] = studio_level
    return facts


def _cards(bureau: Any) -> int:
    from skillcity.talents.selectors.cards import evaluate_in_force
    from skillcity.talents.services.cards import card_payload

    if TalentCard.objects.exists():
        return 0
    today = timezone.localdate()
    holders = set(
        TalentCard.objects.filter(status=TalentCard.Status.VALID).values_list("worker_id", flat=True)
    )
    made = []
    for worker_id, facts in sorted(_eligible_facts().items()):
        if worker_id in holders:
            continue
        facts["titles"] = sorted(facts["titles"])
        outcome = evaluate_in_force("TAL-CARD", today, facts)
        if outcome.eligible:
            made.append(
                TalentCard(
                    worker_id=worker_id,
                    number=f"D{worker_id}",
                    issued_on=today - datetime.timedelta(days=worker_id % 200),
                    grounds=list(outcome.extra.get("grounds", [])),
                    grounds_messages=outcome.extra.get("grounds_messages", []),
                    qr_token="",
                )
            )
    TalentCard.objects.bulk_create(made, batch_size=500)
    cards = list(TalentCard.objects.select_related("worker").order_by("id"))
    key = signing.signing_key()
    for card in cards:
        card.number = f"YCK{card.issued_on.year}{card.pk:06d}"
        card.qr_token = signing.sign_payload(card_payload(card), key)
    TalentCard.objects.bulk_update(cards, ["number", "qr_token"], batch_size=500)
    audit_record(
        actor=bureau,
        action="talent_card.issue_demo",
        target_type="talents.talentcard",
        after={"count": len(cards)},
    )
    return len(cards)


def card_demo_step(seed: int, stdout: Any) -> None:
    from skillcity.accounts.models import User

    bureau = User.objects.filter(username="bureau").first()
    if bureau is None:
        return
    rng = random.Random(seed + 16)
    with transaction.atomic():
        _services()
        _imports(rng, bureau)
        _honours(rng, bureau)
        count = _cards(bureau)
    if count:
        stdout.write(f"  talent cards: {count} issued")
