"""One way to draft the 2026 continuation of the project-training cap, for the lifecycle, the reforms
and their browser tests: a new notice D005 (2026) and TRN-PROJECT.cap citing its first clause."""

from __future__ import annotations

import datetime
from typing import Any

from skillcity.policy.lifecycle import services

D2026 = datetime.date(2026, 1, 1)
END_2026 = datetime.date(2026, 12, 31)
NOTICE_TEXT = "项目制培训补贴按每个项目每人最高3000元标准继续执行至2026年12月31日。"


def continuation_draft(
    officer: Any,
    *,
    value: str = "3200",
    start: datetime.date = D2026,
    end: datetime.date | None = END_2026,
    text: str = NOTICE_TEXT,
    title: str = "2026年项目制培训补贴",
) -> Any:
    """A draft (not submitted) registering D005 and a version of TRN-PROJECT.cap citing it."""
    draft = services.draft_create(actor=officer, title=title)
    services.document_register(
        draft=draft,
        actor=officer,
        key="D005",
        title="关于延续执行项目制培训补贴的通知",
        issuer="东莞市人力资源和社会保障局",
        effective_from=D2026,
        effective_to=END_2026,
    )
    services.draft_version_add(
        draft=draft,
        actor=officer,
        parameter="TRN-PROJECT.cap",
        value=value,
        effective_from=start,
        effective_to=end,
        document="D005",
        clause="第一条",
        text=text,
    )
    return draft
