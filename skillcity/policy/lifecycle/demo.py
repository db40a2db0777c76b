"""The demo's draft successor version: the 2026 continuation of the training amounts (D002, D003),
marked as a demo assumption (演示假设) and left as a draft, never published by the demo itself.

An officer walks it: `bureau` submits it on /policy/drafts/, `bureau2` (the second bureau officer)
approves it; from then the calculator answers TRN-PROJECT and TRN-UPSKILL for 2026 dates.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import transaction

from skillcity.policy import params as P
from skillcity.policy.lifecycle import services
from skillcity.policy.models import PolicyDraft
from skillcity.policy.pack import loader

logger = logging.getLogger(__name__)

DEMO_DOCUMENT = "D-DEMO-2026"
PARAMETERS = (
    "TRN-PROJECT.cap",
    "TRN-UPSKILL.level1",
    "TRN-UPSKILL.level2",
    "TRN-UPSKILL.level3",
    "TRN-UPSKILL.level4",
    "TRN-UPSKILL.level5",
    "TRN-UPSKILL.special_ability",
    "TRN-UPSKILL.special_operation",
    "TRN-UPSKILL.shortage_uplift",
    "TRN-UPSKILL.shortage_max_level",
)
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
CLAUSE_TEXT = "（演示假设）项目制培训补贴和劳动力职业技能提升培训补贴按原标准继续执行至2026年12月31日。"


def _demo_versions(stdout: Any) -> list[tuple[str, Any, datetime.date, datetime.date]]:
    """(parameter, value, first day, last day) for each demo parameter the active pack has: the last
    version's value for one more year, from the day after that version ends (Dongguan: 2026). A
    parameter the pack lacks, or whose last version has no end, is left out with a note."""
    ps = P.parameters()
    found = []
    for name in PARAMETERS:
        if name not in ps:
            _note(stdout, f"  policy draft: {name} is not in pack {loader.active_name()}, left out")
            continue
        last = ps[name].versions[-1]
        if last.effective_to is None:
            _note(stdout, f"  policy draft: {name} has a version without end, left out")
            continue
        start = last.effective_to + datetime.timedelta(days=1)
        end = start.replace(year=start.year + 1) - datetime.timedelta(days=1)
        value = str(last.value) if ps[name].unit in ("yuan", "ratio") else last.value
        found.append((name, value, start, end))
    return found


def _note(stdout: Any, text: str) -> None:
    logger.info("%s", text.strip())
    stdout.write(text)


@transaction.atomic
def policy_draft_demo(stdout: Any) -> PolicyDraft | None:
    """Idempotent: nothing if the demo draft exists (whatever its state) or the account is missing.
    Built from the parameters the active pack has (docs/policy-engine.md §10)."""
    from skillcity.accounts.models import User

    if PolicyDraft.objects.filter(demo_assumption=True).exists():
        return None
    officer = User.objects.filter(username="bureau").first()
    if officer is None:
        return None
    versions = _demo_versions(stdout)
    if not versions:
        _note(stdout, "  policy draft: no parameter to continue in this pack, no demo draft")
        return None
    draft = services.draft_create(
        actor=officer,
        title="（演示假设）2026年职业培训补贴标准延续执行",
        note="演示假设：D002、D003 已于 2025-12-31 到期。本草稿假设市人社局发文将项目制培训补贴和技能提升补贴"
        "按原标准延续执行一年，用于演示起草、对比、测算、双人复核和发布的流程；并非真实政策，演示默认不发布。",
        demo_assumption=True,
    )
    services.document_register(
        draft=draft,
        actor=officer,
        key=DEMO_DOCUMENT,
        title="关于延续执行职业培训补贴标准的通知（演示假设）",
        issuer="东莞市人力资源和社会保障局",
        effective_from=min(start for _n, _v, start, _e in versions),
        effective_to=max(end for _n, _v, _s, end in versions),
    )
    for name, value, start, end in versions:
        services.draft_version_add(
            draft=draft,
            actor=officer,
            parameter=name,
            value=value,
            effective_from=start,
            effective_to=end,
            document=DEMO_DOCUMENT,
            clause="第一条",
            text=CLAUSE_TEXT,
        )
    stdout.write(f"  policy draft #{draft.pk} (演示假设, not published)")
    return draft
