"""What keeps public objections from being used to block a grant (issue 12 §7).

Anyone may object while a notice runs, and approval waits until every objection is resolved; so a
flood of objections could hold up a grant. Here: bounded fields and body, a rate limit per address
and per notice counted from the objections in the database (shared by every process and server),
and the receipt number the objector is given. The writes themselves are in skillcity.grants.services.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.errors import DomainError
from skillcity.grants.models import OBJECTION_CONTACT_MAX, OBJECTION_TEXT_MAX, Objection, PublicNotice

# No 0/O or 1/I/L: a receipt is read out over the telephone.
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RECEIPT_LENGTH = 6


def receipt_new() -> str:
    """YYYYMMDD-XXXXXX: the day it was lodged, and 31^6 (about 887 million) codes per day."""
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return f"{timezone.localdate():%Y%m%d}-{code}"


def objection_fields_check(*, text: str, contact: str) -> None:
    """Refuse a field past its maximum (naming it), instead of storing or cutting it."""
    errors: dict[str, Any] = {}
    if len(text) > OBJECTION_TEXT_MAX:
        errors["text"] = _("异议内容不能超过%(n)s个字") % {"n": OBJECTION_TEXT_MAX}
    if len(contact) > OBJECTION_CONTACT_MAX:
        errors["contact"] = _("联系方式不能超过%(n)s个字") % {"n": OBJECTION_CONTACT_MAX}
    if errors:
        raise DomainError("too_long", "；".join(str(m) for m in errors.values()), errors, status=422)


def objection_rate_check(*, notice: PublicNotice, address: str, anonymous: bool) -> None:
    """Refuse past OBJECTION_MAX_PER_ADDRESS objections from one address within
    OBJECTION_WINDOW_SECONDS, and past OBJECTION_MAX_PER_NOTICE anonymous ones on one notice a day.

    Counted from the objections themselves (in the database, so every process and server sees the
    same count); the notice row is locked by the caller, so the per-notice count is exact.
    """
    now = timezone.now()
    since = now - datetime.timedelta(seconds=settings.OBJECTION_WINDOW_SECONDS)
    if address and Objection.objects.filter(address=address, lodged_at__gte=since).count() >= (
        settings.OBJECTION_MAX_PER_ADDRESS
    ):
        raise DomainError(
            "rate_limited",
            _("同一来源提交异议过于频繁，请稍后再试；如情况紧急请致电公示所列电话"),
            status=429,
        )
    day = now - datetime.timedelta(days=1)
    if anonymous and notice.objections.filter(lodged_by__isnull=True, lodged_at__gte=day).count() >= (
        settings.OBJECTION_MAX_PER_NOTICE
    ):
        raise DomainError(
            "rate_limited",
            _("该公示今日收到的匿名异议已达上限，请登录后提交或致电公示所列电话"),
            status=429,
        )
