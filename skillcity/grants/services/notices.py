"""Public notice (公示) and objections: start a notice, lodge, resolve, dismiss as spam."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from skillcity.core.audit import audit_record
from skillcity.core.errors import Conflict, DomainError, NotFound
from skillcity.grants import flows, objections
from skillcity.grants.models import (
    OBJECTION_TEXT_MAX,
    Application,
    Objection,
    PublicNotice,
)
from skillcity.grants.services import common
from skillcity.grants.services.common import (
    S,
    _event,
    _lock,
    _refuse_state,
    _require_bureau,
)


@transaction.atomic
def notice_start(
    *,
    application: Application,
    actor: Any,
    start: datetime.date | None = None,
    working_days: int | None = None,
) -> PublicNotice:
    app = _lock(application)
    _require_bureau(actor)
    if app.state != S.REVIEWED:
        raise _refuse_state(app, _("公示"))
    days = working_days if working_days is not None else flows.notice_working_days()
    if days < 1:
        raise DomainError("bad_notice_days", _("公示期至少1个工作日"), {"working_days": _("至少1个工作日")})
    begin = start or common._today()
    notice = PublicNotice.objects.create(
        application=app,
        start=begin,
        end=flows.add_working_days(begin, days),
        working_days=days,
        created_by=actor,
    )
    notice.number = PublicNotice.number_for(notice.start, notice.pk)
    notice.save(update_fields=["number"])
    app.state = S.IN_NOTICE
    app.save(update_fields=["state"])
    _event(
        app, actor=actor, action="notice_start", from_state=S.REVIEWED, reason=f"{notice.start}~{notice.end}"
    )
    audit_record(
        actor=actor,
        action="grants.notice.start",
        target=app,
        after={"number": notice.number, "start": notice.start, "end": notice.end},
    )
    return notice


@transaction.atomic
def objection_lodge(
    *, notice: PublicNotice, actor: Any, text: str, contact: str = "", address: str = ""
) -> Objection:
    """Anyone logged in, or the public leaving a contact, may object while the notice runs; the
    objection is bounded, rate-limited (skillcity.grants.objections) and given a receipt number."""
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)
    app = _lock(notice.application)
    user = actor if getattr(actor, "is_authenticated", False) else None
    if app.state != S.IN_NOTICE or common._today() > notice.end:
        raise DomainError("notice_closed", _("该公示已结束，不能再提出异议"), status=409)
    objections.objection_fields_check(text=text, contact=contact)
    if not text.strip():
        raise DomainError("text_required", _("请填写异议内容"), {"text": _("必须填写")})
    if user is None and not contact.strip():
        raise DomainError("contact_required", _("未登录提出异议须留下联系方式"), {"contact": _("必须填写")})
    address = address[:64]
    objections.objection_rate_check(notice=notice, address=address, anonymous=user is None)
    for _attempt in range(5):
        try:
            with transaction.atomic():  # a savepoint: a receipt drawn twice is drawn again
                objection = Objection.objects.create(
                    notice=notice,
                    receipt=objections.receipt_new(),
                    lodged_by=user,
                    address=address,
                    contact=contact,
                    text=text,
                )
            break
        except IntegrityError:
            continue
    else:
        raise Conflict("receipt_exhausted", _("暂时无法生成回执编号，请稍后再试"))
    _event(app, actor=actor or "public", action="objection_lodge", from_state=app.state, reason=text)
    audit_record(
        actor=actor or "public",
        action="grants.objection.lodge",
        target=app,
        after={"objection": objection.pk, "receipt": objection.receipt, "address": address},
    )
    return objection


def _objection_close(
    objection: Objection, *, actor: Any, state: str, resolution: str
) -> tuple[Objection, Application]:
    """Lock an open objection and its application, and close it as `state` (not yet audited)."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    app = _lock(objection.notice.application)
    if objection.resolved_at is not None:
        raise DomainError(
            "already_resolved",
            _("异议 %(r)s 已处理（%(s)s）") % {"r": objection.receipt, "s": objection.get_state_display()},
            status=409,
        )
    objection.state, objection.resolution = state, resolution
    objection.upheld = state == Objection.State.UPHELD
    objection.resolved_by, objection.resolved_at = actor, timezone.now()
    objection.save(update_fields=["state", "resolution", "upheld", "resolved_by", "resolved_at"])
    return objection, app


@transaction.atomic
def objection_resolve(*, objection: Objection, actor: Any, resolution: str, upheld: bool) -> Objection:
    """An upheld objection rejects the application; a dismissed one lets approval go ahead."""
    _require_bureau(actor)
    if not resolution.strip():
        raise DomainError("resolution_required", _("请填写处理意见"), {"resolution": _("必须填写")})
    state = Objection.State.UPHELD if upheld else Objection.State.DISMISSED
    objection, app = _objection_close(objection, actor=actor, state=state, resolution=resolution)
    before = app.state
    if upheld and app.state == S.IN_NOTICE:
        app.state = S.REJECTED
        app.save(update_fields=["state"])
    _event(app, actor=actor, action="objection_resolve", from_state=before, reason=resolution)
    audit_record(
        actor=actor,
        action="grants.objection.resolve",
        target=app,
        after={"objection": objection.pk, "receipt": objection.receipt, "upheld": upheld},
    )
    return objection


OBJECTION_BULK_MAX = 500


@transaction.atomic
def objections_dismiss_as_spam(*, ids: list[int], actor: Any, reason: str) -> list[Objection]:
    """Dismiss many open objections at once as spam, with one reason: each gets its own audit row.

    All or nothing: an unknown or already resolved objection refuses the whole batch (naming it),
    so a reviewer never has to work out which half went through.
    """
    _require_bureau(actor)
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_required", _("请填写驳回理由"), {"reason": _("必须填写")}, status=422)
    if len(reason) > OBJECTION_TEXT_MAX:
        raise DomainError(
            "too_long",
            _("驳回理由不能超过%(n)s个字") % {"n": OBJECTION_TEXT_MAX},
            {"reason": _("不能超过%(n)s个字") % {"n": OBJECTION_TEXT_MAX}},
            status=422,
        )
    wanted = sorted(set(ids))
    if not wanted:
        raise DomainError("ids_required", _("请选择要驳回的异议"), {"ids": _("至少选择一项")}, status=422)
    if len(wanted) > OBJECTION_BULK_MAX:
        raise DomainError(
            "too_many",
            _("一次最多驳回%(n)s条异议") % {"n": OBJECTION_BULK_MAX},
            {"ids": _("一次最多%(n)s条") % {"n": OBJECTION_BULK_MAX}},
            status=422,
        )
    found = {o.pk: o for o in Objection.objects.filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise NotFound(_("异议不存在：%(ids)s") % {"ids": "、".join(f"#{pk}" for pk in missing)})
    dismissed = []
    for pk in wanted:
        objection, app = _objection_close(
            found[pk], actor=actor, state=Objection.State.SPAM, resolution=reason
        )
        _event(app, actor=actor, action="objection_dismiss_spam", from_state=app.state, reason=reason)
        audit_record(
            actor=actor,
            action="grants.objection.dismiss_spam",
            target=app,
            after={"objection": objection.pk, "receipt": objection.receipt, "reason": reason},
        )
        dismissed.append(objection)
    return dismissed
