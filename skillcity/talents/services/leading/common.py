"""Shared pieces of the leading-talent services: constants, the clock, locks and refusals, money parsing, evidence storage."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core import bounds
from skillcity.core.errors import DomainError, PermissionDenied
from skillcity.core.uploads import check_upload_size
from skillcity.grants import flows
from skillcity.talents.models.leading import (
    Evidence,
    LeadingApplication,
    LeadingCall,
)

CRITERIA_FILE = Path(__file__).resolve().parents[2] / "data" / "leading_criteria.yaml"

GROUNDS_MAX = 2000

EVIDENCE_MAX = 10

SOURCE_PREFIX = "talents."

PROVENANCE = "技能领军人才认定（第%(n)s号申报）"


def today() -> datetime.date:
    return timezone.localdate()


@cache
def default_criteria() -> list[dict[str, Any]]:
    data = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))
    return [{"code": c["code"], "label": c["label"], "max": int(c["max"])} for c in data["criteria"]]


def _require_bureau(actor: Any) -> None:
    if not flows.user_has_stage_role(actor, "bureau_officer"):
        raise PermissionDenied(_("只有市人社局工作人员可以执行此操作"))


def subsidy_date(call: LeadingCall, day: datetime.date) -> datetime.date:
    """The event date of a call's subsidies: the day itself within the call's year, else its last day
    (the rule in force for the year the talent was recognised governs the subsidy)."""
    return min(day, datetime.date(call.year, 12, 31))


def _evidence_save(uploads: Iterable[UploadedFile], actor: Any, **owner: Any) -> list[Evidence]:
    saved = []
    for upload in uploads:
        check_upload_size(upload, field="evidence", label=_("证明材料"))
        if not upload.size:
            raise DomainError("bad_file", _("证明材料是空文件"), {"evidence": _("空文件")})
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        saved.append(
            Evidence.objects.create(
                file=upload,
                name=(upload.name or "file")[:200],
                sha256=digest.hexdigest(),
                size=upload.size or 0,
                uploaded_by=actor,
                **owner,
            )
        )
    return saved


def _lock(app: LeadingApplication) -> LeadingApplication:
    return LeadingApplication.objects.select_for_update().select_related("call", "worker").get(pk=app.pk)


def _refuse(app: LeadingApplication, action: str) -> DomainError:
    return DomainError(
        "illegal_transition",
        _("申报当前状态为“%(s)s”，不能%(a)s") % {"s": app.get_state_display(), "a": action},
        {"state": app.state},
        status=409,
    )


def source_key(app: LeadingApplication, item: str) -> str:
    return f"talents.leading:{app.pk}:{item}"


def parse_money(raw: Any, field: str, label: str) -> Decimal:
    """A positive amount in yuan (at most two decimals, no exponent, at most MONEY_MAX); the error
    names the field's label ("1e30" once reached quantize unguarded and failed the page)."""
    if str(raw if raw is not None else "").strip() == "":
        raise DomainError("bad_amount", _("请填写%(l)s") % {"l": label}, {field: _("请填写金额")})
    try:
        value = bounds.parse_money(raw)
    except ValueError as exc:
        msg = _("%(l)s：%(e)s") % {"l": label, "e": str(exc)}
        raise DomainError("bad_amount", msg, {field: msg}) from None
    if value <= 0:
        msg = _("%(l)s应为正数，最多两位小数") % {"l": label}
        raise DomainError("bad_amount", msg, {field: _("应为正数，最多两位小数")})
    return value
