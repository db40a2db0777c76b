"""Master studios' services: constants and helpers shared by the lifecycle and the reports."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.errors import Conflict, DomainError, PermissionDenied
from skillcity.grants import flows
from skillcity.platforms.models.studios import (
    Studio,
    StudioLevel,
    StudioState,
)

RULE_ID = "PLT-STUDIO"
SOURCE_PREFIX = "platforms.studios."
HIGH_SKILL_LEVEL = 3  # 高技能人才: level 3 (高级工) or higher (numbers 1–3)
NEW_CITY_CAP = Decimal("500000")  # shown in messages; the engine's parameter decides
TEXT_MAX = 2000
REASON_MAX = 500
APPRENTICES_MAX = 200
COUNT_MAX = 10_000
YEAR_MIN, YEAR_MAX = 2018, 2100
STANDING = (StudioState.SUBMITTED, StudioState.REVIEWED, StudioState.RECOGNISED)
UPGRADE_LEVELS = (StudioLevel.PROVINCIAL, StudioLevel.NATIONAL)


def today() -> datetime.date:
    return timezone.localdate()


def is_bureau(actor: Any) -> bool:
    return flows.user_has_stage_role(actor, "bureau_officer")


def _require_bureau(actor: Any) -> None:
    if not is_bureau(actor):
        raise PermissionDenied(_("只有市人社局工作人员可以执行此操作"))


def _lock(studio: Studio) -> Studio:
    return Studio.objects.select_for_update().select_related("lead", "organisation").get(pk=studio.pk)


def _refuse(studio: Studio, action: str) -> Conflict:
    return Conflict(
        "bad_state",
        _("工作室当前状态为“%(s)s”，不能%(a)s") % {"s": studio.get_state_display(), "a": action},
        {"state": studio.state},
    )


def _reason(raw: Any, field: str = "reason") -> str:
    text = str(raw or "").strip()
    if not text:
        raise DomainError("reason_required", _("请写明原因"), {field: _("必须填写")})
    if len(text) > REASON_MAX:
        raise DomainError("reason_too_long", _("原因不超过500个字"), {field: _("不超过500个字")})
    return text


def _day(raw: Any, field: str) -> datetime.date:
    if raw is None or raw == "":
        return today()
    if isinstance(raw, datetime.date):
        day = raw
    else:
        try:
            day = datetime.date.fromisoformat(str(raw))
        except ValueError:
            raise DomainError(
                "bad_date", _("日期格式应为YYYY-MM-DD"), {field: _("日期格式应为YYYY-MM-DD")}
            ) from None
    if day > today():
        raise DomainError("future_date", _("日期不能晚于今天"), {field: _("不能晚于今天")})
    return day


def source_key(studio: Studio, kind: str) -> str:
    return f"{SOURCE_PREFIX}{studio.pk}:{kind}"


def describe_source(key: str) -> str | None:
    """grants' source describer: "技能大师工作室“…” · 新设市级工作室补贴"."""
    try:
        studio_id, kind = key.removeprefix(SOURCE_PREFIX).split(":", 1)
        studio = Studio.objects.filter(pk=int(studio_id)).first()
    except ValueError:
        return None
    if studio is None:
        return None
    labels = {
        "new_city": _("新设市级工作室补贴"),
        "provincial": _("获评省级一次性奖励"),
        "national": _("获评国家级一次性奖励"),
    }
    return _("%(kind)s“%(name)s” · %(what)s") % {
        "kind": studio.get_kind_display(),
        "name": studio.name,
        "what": labels.get(kind, kind),
    }


def provenance(studio: Studio) -> str:
    return _("%(kind)s“%(name)s”（第%(n)s号工作室记录）") % {
        "kind": studio.get_kind_display(),
        "name": studio.name,
        "n": studio.pk,
    }
